using System.Collections.Immutable;
using Cst.Actors.Contracts.Enti;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>
/// One new object of a bulk import applied by its grain's own code on an instance that no activation holds
/// (<see cref="OwnedObjectGrain{TState}.Detach"/>): the same operations, the same checks by the domain and by the
/// ente, the same deadlines, but no activation, no storage read and no write of its own. What it would have written
/// is kept here (its rows, its notices) for <c>ImportObjectsGrain</c> to write with the rest of the ente's new objects.
/// </summary>
public sealed class DetachedImport(GrainId grainId, string key, string enteId, EnteMembership membership) : INoticeLog
{
    private readonly List<Notice> _notices = [];

    public GrainId GrainId { get; } = grainId;

    public string Key { get; } = key;

    /// <summary>The ente the document gives the object to.</summary>
    public string EnteId { get; } = enteId;

    /// <summary>
    /// That ente's membership, asked once for all its new objects; each object's snapshot is checked against it by the
    /// ente's rule without a call, and the ente checks them all again when it stores them.
    /// </summary>
    public EnteMembership Membership { get; } = membership;

    /// <summary>The object's rows once it is applied; null while not (or when the document changed nothing).</summary>
    public ImportedObjectRows? Rows { get; internal set; }

    /// <summary>
    /// Its reminder is due too soon for a row alone (silos load the table every few minutes): the grain must be
    /// activated once its row is stored, and its activation arms the reminder it finds missing.
    /// </summary>
    public bool ArmOnActivation { get; internal set; }

    /// <summary>The notices its deadlines produced, written in the rows' transaction.</summary>
    public ImmutableList<Notice> Notices => [.. _notices];

    /// <summary>Keeps the notice for the rows' transaction (a new object has none stored yet).</summary>
    public Task<bool> RecordAsync(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        _notices.Add(notice);
        return Task.FromResult(true);
    }
}
