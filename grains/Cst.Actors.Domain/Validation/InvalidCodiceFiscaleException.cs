namespace Cst.Actors.Domain.Validation;

/// <summary>A codice fiscale that cannot be an ente's: wrong length, letters, or a wrong check digit.</summary>
public sealed class InvalidCodiceFiscaleException : DomainException
{
    public InvalidCodiceFiscaleException(string input, string message)
        : base(message)
    {
        Input = input;
    }

    /// <summary>The text as it was given (trimmed), so the caller can point at it.</summary>
    public string Input { get; }
}
