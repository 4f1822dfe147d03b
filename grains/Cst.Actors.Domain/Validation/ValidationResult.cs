using System.Diagnostics.CodeAnalysis;

namespace Cst.Actors.Domain.Validation;

/// <summary>
/// The outcome of checking input: either a value or the domain error that says, in plain words, why there is none.
/// Parsing user input returns this rather than throwing, so an import or a form can report every bad field without
/// using exceptions for control flow; <see cref="Value"/> turns a failure back into the exception where one is wanted.
/// </summary>
public sealed class ValidationResult<T>
{
    private readonly T _value;

    private ValidationResult(T value, DomainException? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>True when the input was valid and <see cref="Value"/> can be read.</summary>
    public bool Success => Error is null;

    /// <summary>Why the input was refused; null on success. The error is built but not thrown, which is cheap.</summary>
    public DomainException? Error { get; }

    /// <summary>The message of <see cref="Error"/>, or an empty string on success.</summary>
    public string ErrorMessage => Error?.Message ?? string.Empty;

    /// <summary>The valid value; throws <see cref="Error"/> when the input was refused.</summary>
    public T Value => Error is null ? _value : throw Error;

    public static ValidationResult<T> ForValue(T value) => new(value, null);

    public static ValidationResult<T> ForError(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ValidationResult<T>(default!, error);
    }

    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return Error is null;
    }

    /// <summary>The valid value, or <paramref name="fallback"/> when the input was refused.</summary>
    public T ValueOr(T fallback) => Error is null ? _value : fallback;

    /// <summary>Transforms a valid value; a failure carries its error across unchanged.</summary>
    public ValidationResult<TResult> Map<TResult>(Func<T, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Error is null ? ValidationResult<TResult>.ForValue(map(_value)) : ValidationResult<TResult>.ForError(Error);
    }

    public override string ToString() => Error is null ? $"valid: {_value}" : $"invalid: {Error.Message}";
}
