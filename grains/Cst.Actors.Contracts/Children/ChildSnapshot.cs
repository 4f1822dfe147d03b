using System.Collections.Immutable;
using Cst.Actors.Domain.Pricing;

namespace Cst.Actors.Contracts.Children;

/// <summary>The kinds of object an ente owns. Stored values are explicit.</summary>
[GenerateSerializer]
public enum ChildKind
{
    PecMailbox = 1,
    FirmaDevice = 2,
    HostedService = 3,
}

/// <summary>
/// What an ente keeps of one of its objects so that its statement needs only its own activation: the object's
/// billing subscriptions (the domain's <see cref="Subscription"/>, as the pricing core takes them), a version that
/// grows with every change of the object, and a one-line summary for lists. A mailbox of a custom-domain pack names
/// the pack in <see cref="PackId"/>: the ente merges the pack's mailboxes into one subscription.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.ChildSnapshot")]
public sealed record ChildSnapshot(
    [property: Id(0)] ChildKind Kind,
    [property: Id(1)] string Key,
    [property: Id(2)] long Version,
    [property: Id(3)] ImmutableList<Subscription> Subscriptions,
    [property: Id(4)] string? PackId,
    [property: Id(5)] string Summary)
{
    /// <summary>The index key inside the ente: kind and key, e.g. "PecMailbox:protocollo@pec.comune.padova.it".</summary>
    public string IndexKey => $"{Kind}:{Key}";
}

/// <summary>One entry of an ente's index of its objects.</summary>
[GenerateSerializer, Immutable, Alias("cst.ChildRef")]
public sealed record ChildRef([property: Id(0)] ChildKind Kind, [property: Id(1)] string Key, [property: Id(2)] string Summary);

/// <summary>
/// What a bulk import of one object returns: the object's billing snapshot, for the importer to attach to the ente in
/// one call per ente (<c>IEnteGrain.AttachImportedAsync</c>), and whether the import changed the object.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.ImportedChild")]
public sealed record ImportedChild([property: Id(0)] ChildSnapshot Snapshot, [property: Id(1)] bool Changed);
