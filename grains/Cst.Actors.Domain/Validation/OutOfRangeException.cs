namespace Cst.Actors.Domain.Validation;

/// <summary>
/// A quantity or a date outside what the domain accepts (a negative number of mailboxes, an activation in 1899).
/// Named after the field, not the parameter, because the message is read by operators.
/// </summary>
public sealed class OutOfRangeException : DomainException
{
    public OutOfRangeException(string field, string actualValue, string message)
        : base(message)
    {
        Field = field;
        ActualValue = actualValue;
    }

    /// <summary>What the value is, in words ("number of mailboxes", "activation date").</summary>
    public string Field { get; }

    /// <summary>The refused value in invariant form (dates as ISO yyyy-MM-dd).</summary>
    public string ActualValue { get; }
}
