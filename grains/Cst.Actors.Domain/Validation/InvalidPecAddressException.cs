namespace Cst.Actors.Domain.Validation;

/// <summary>A PEC mailbox address whose syntax is wrong. Says nothing about whether the provider is certified.</summary>
public sealed class InvalidPecAddressException : DomainException
{
    public InvalidPecAddressException(string input, string message)
        : base(message)
    {
        Input = input;
    }

    /// <summary>The text as it was given (trimmed).</summary>
    public string Input { get; }
}
