namespace Cst.Actors.Domain;

/// <summary>
/// A broken business rule or a bad input. The message is for people: it names the entity and the
/// offending values in plain words, and the admin console shows it as it is, never a stack trace.
/// Every domain failure derives from this type so callers can tell it apart from infrastructure faults.
/// </summary>
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
}
