using System.Runtime.CompilerServices;
using NodaTime;

namespace Cst.Actors.Domain.Validation;

/// <summary>
/// Range checks at the domain edge for quantities and dates. Each comes twice: a throwing form for values that
/// should already be valid (a bug or corrupt data if not), and a <c>Validate...</c> form returning a result for
/// values typed by an operator or read from an import. The field is named in words because operators read it.
/// </summary>
public static partial class Guard
{
    /// <summary>
    /// The earliest business date the domain accepts. Nothing the CST sells predates 2000, so an earlier date is a
    /// typing error (1900 from a spreadsheet's empty cell, a two-digit year read as 19xx).
    /// </summary>
    public static LocalDate EarliestDate { get; } = new(2000, 1, 1);

    /// <summary>The latest business date the domain accepts; later ones are typing errors (2206 for 2026).</summary>
    public static LocalDate LatestDate { get; } = new(2100, 12, 31);

    /// <summary>A count that may be zero (mailboxes, users) but never negative.</summary>
    public static int Quantity(int value, string field) => ValidateQuantity(value, field).Value;

    /// <summary>An amount that may be zero (GB, days) but never negative.</summary>
    public static decimal Quantity(decimal value, string field) => ValidateQuantity(value, field).Value;

    /// <summary>A count that must be at least one.</summary>
    public static int PositiveQuantity(int value, string field) => ValidatePositiveQuantity(value, field).Value;

    /// <summary>An amount that must be greater than zero.</summary>
    public static decimal PositiveQuantity(decimal value, string field) => ValidatePositiveQuantity(value, field).Value;

    /// <summary>A business date between <see cref="EarliestDate"/> and <see cref="LatestDate"/>, both included.</summary>
    public static LocalDate Date(LocalDate value, string field) => ValidateDate(value, field).Value;

    /// <summary>A date that must not precede another (a cessation before the activation is a mistake).</summary>
    public static LocalDate NotBefore(LocalDate value, string field, LocalDate earliest, string earliestField) =>
        ValidateNotBefore(value, field, earliest, earliestField).Value;

    public static ValidationResult<int> ValidateQuantity(int value, string field) =>
        Named(field) && value >= 0
            ? ValidationResult<int>.ForValue(value)
            : Fail<int>(field, DomainText.Number(value), "it cannot be negative", RefusalCode.RangeNegative);

    public static ValidationResult<decimal> ValidateQuantity(decimal value, string field) =>
        !Named(field) || value < 0 ? Fail<decimal>(field, DomainText.Number(value), "it cannot be negative", RefusalCode.RangeNegative)
        : value > MaxQuantity ? TooLarge(field, value, MaxQuantity)
        : ValidationResult<decimal>.ForValue(value);

    public static ValidationResult<int> ValidatePositiveQuantity(int value, string field) =>
        Named(field) && value > 0
            ? ValidationResult<int>.ForValue(value)
            : Fail<int>(field, DomainText.Number(value), "it must be at least 1");

    public static ValidationResult<decimal> ValidatePositiveQuantity(decimal value, string field) =>
        !Named(field) || value <= 0 ? Fail<decimal>(field, DomainText.Number(value), "it must be greater than zero", RefusalCode.RangeNotPositive)
        : value > MaxQuantity ? TooLarge(field, value, MaxQuantity)
        : ValidationResult<decimal>.ForValue(value);

    public static ValidationResult<LocalDate> ValidateDate(LocalDate value, string field)
    {
        if (Named(field) && value >= EarliestDate && value <= LatestDate)
        {
            return ValidationResult<LocalDate>.ForValue(value);
        }

        return Fail<LocalDate>(field, DomainText.Date(value),
            $"it must be between {DomainText.Date(EarliestDate)} and {DomainText.Date(LatestDate)}",
            RefusalCode.RangeDate, DomainText.Date(EarliestDate), DomainText.Date(LatestDate));
    }

    public static ValidationResult<LocalDate> ValidateNotBefore(
        LocalDate value, string field, LocalDate earliest, string earliestField)
    {
        if (Named(field) && Named(earliestField) && value >= earliest)
        {
            return ValidationResult<LocalDate>.ForValue(value);
        }

        return Fail<LocalDate>(field, DomainText.Date(value),
            $"it cannot be before the {earliestField} {DomainText.Date(earliest)}",
            RefusalCode.RangeNotBefore, earliestField, DomainText.Date(earliest));
    }

    // A missing field name is the programmer's mistake, not the operator's: an ArgumentException, not a domain error.
    private static bool Named(string field, [CallerArgumentExpression(nameof(field))] string? parameter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field, parameter);
        return true;
    }

    // The code's values are the field and the refused value, then those the sentence adds.
    private static ValidationResult<T> Fail<T>(string field, string value, string what, string? code = null, params string[] more)
    {
        return ValidationResult<T>.ForError(new OutOfRangeException(field, value, $"{field} is {value}; {what}")
        {
            Code = code,
            Args = [field, value, .. more],
        });
    }
}
