namespace Cst.Actors.Domain;

/// <summary>
/// A broken business rule or a bad input. The message is for people: it names the entity and the
/// offending values in plain words, and the admin console shows it as it is, never a stack trace.
/// Every domain failure derives from this type so callers can tell it apart from infrastructure faults.
/// </summary>
/// <remarks>
/// The refusals operators meet most also carry a <see cref="Code"/> (one of <see cref="RefusalCode"/>) and the
/// values the sentence names, so a client can say the same in the operator's language; the English message stays the
/// reference, and a refusal without a code is shown as its message.
/// </remarks>
public abstract class DomainException : Exception
{
    protected DomainException(string message)
        : base(message)
    {
    }

    protected DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Which sentence this is, stable across versions (<see cref="RefusalCode"/>); null for the others.</summary>
    public string? Code { get; init; }

    /// <summary>The values the sentence names, in its order, in invariant form (dates yyyy-MM-dd).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];
}
