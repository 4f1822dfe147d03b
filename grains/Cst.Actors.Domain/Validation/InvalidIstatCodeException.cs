namespace Cst.Actors.Domain.Validation;

/// <summary>An ISTAT municipality code that is not 6 digits or names no possible province or municipality.</summary>
public sealed class InvalidIstatCodeException : DomainException
{
    public InvalidIstatCodeException(string input, string message)
        : base(message)
    {
        Input = input;
    }

    /// <summary>The text as it was given (trimmed).</summary>
    public string Input { get; }
}
