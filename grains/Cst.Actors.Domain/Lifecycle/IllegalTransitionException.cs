namespace Cst.Actors.Domain.Lifecycle;

/// <summary>
/// An operation that the current state of an object does not allow: a disdetta on a ceased mailbox, an activation
/// before the ente's adhesion, a second disdetta with another date. The message names the object and the values.
/// </summary>
public sealed class IllegalTransitionException(string subject, string action, string message) : DomainException(message)
{
    /// <summary>The object, in words ("PEC mailbox protocollo@pec.comune.padova.it").</summary>
    public string Subject { get; } = subject;

    /// <summary>What was attempted ("disdetta", "activation").</summary>
    public string Action { get; } = action;
}

/// <summary>A service, variant or tier that the listino in force does not offer.</summary>
public sealed class UnknownCatalogueItemException(string listinoId, string item, string message) : DomainException(message)
{
    public string ListinoId { get; } = listinoId;

    /// <summary>The unknown id as given ("s.99", "platinum").</summary>
    public string Item { get; } = item;
}
