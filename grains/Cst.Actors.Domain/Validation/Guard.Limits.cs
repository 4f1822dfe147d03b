using System.Globalization;

namespace Cst.Actors.Domain.Validation;

/// <summary>
/// Upper bounds on what enters the domain. Statements are stored as numeric(12,2) (at most 9,999,999,999.99 euros):
/// a price or a quantity typed with a few zeros too many would otherwise be accepted and then fail every billing run.
/// With a price of at most <see cref="MaxAmount"/> and a quantity of at most <see cref="MaxQuantity"/>, one line is
/// at most 100,000,000.00 euros, so a statement would need over 99 lines each at both limits to overflow; the
/// highest price in the seed listini is under 1,000 euros, so the limits are ten times anything real.
/// </summary>
public static partial class Guard
{
    /// <summary>The largest quantity of a subscription or consumption record: clients, users, GB, days.</summary>
    public const decimal MaxQuantity = 10_000m;

    /// <summary>The largest price in euros (an agreed price, a price per unit).</summary>
    public const decimal MaxAmount = 10_000m;

    /// <summary>The largest population of an ente (Rome has under 3 million).</summary>
    public const int MaxInhabitants = 10_000_000;

    /// <summary>
    /// Units of the listini counted in whole numbers: a fraction of a client or of a mailbox is a typing error. GB, TB
    /// and giornate (days of work, which may be half) are not in the list.
    /// </summary>
    public static IReadOnlySet<string> WholeUnits { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "client/server", "client", "utente", "casella", "postazione", "persona", "persona per sessione", "dispositivo",
        "certificato", "SMS",
    };

    /// <summary>A price in euros from zero to <see cref="MaxAmount"/>, in whole cents.</summary>
    public static decimal Amount(decimal value, string field) => ValidateAmount(value, field).Value;

    /// <summary>A population from zero to <see cref="MaxInhabitants"/>.</summary>
    public static int Inhabitants(int value, string field) => ValidateInhabitants(value, field).Value;

    /// <summary>A quantity that must be whole when the unit is counted (clients, users, mailboxes).</summary>
    public static decimal WholeUnitsOf(decimal value, string? unit, string field) => ValidateWholeUnits(value, unit, field).Value;

    public static ValidationResult<decimal> ValidateAmount(decimal value, string field)
    {
        if (!Named(field) || value < 0)
        {
            return Fail<decimal>(field, DomainText.Number(value), "it cannot be negative", RefusalCode.RangeNegative);
        }

        if (value > MaxAmount)
        {
            return TooLarge(field, value, MaxAmount);
        }

        return decimal.Round(value, 2) != value
            ? Fail<decimal>(field, DomainText.Number(value), "an amount in euros has at most two decimals (cents)", RefusalCode.RangeCents)
            : ValidationResult<decimal>.ForValue(value);
    }

    public static ValidationResult<int> ValidateInhabitants(int value, string field)
    {
        if (!Named(field) || value < 0)
        {
            return Fail<int>(field, DomainText.Number(value), "it cannot be negative", RefusalCode.RangeNegative);
        }

        return value > MaxInhabitants
            ? Fail<int>(field, DomainText.Number(value), $"it is too large: at most {Thousands(MaxInhabitants)}",
                RefusalCode.RangeTooLarge, Thousands(MaxInhabitants))
            : ValidationResult<int>.ForValue(value);
    }

    public static ValidationResult<decimal> ValidateWholeUnits(decimal value, string? unit, string field) =>
        Named(field) && unit is not null && WholeUnits.Contains(unit) && decimal.Truncate(value) != value
            ? Fail<decimal>(field, DomainText.Number(value), $"it is counted in whole units ({unit}); give a whole number",
                RefusalCode.RangeWholeUnits, unit)
            : ValidationResult<decimal>.ForValue(value);

    private static ValidationResult<decimal> TooLarge(string field, decimal value, decimal max) =>
        Fail<decimal>(field, DomainText.Number(value), $"it is too large: at most {Thousands(max)}", RefusalCode.RangeTooLarge, Thousands(max));

    private static string Thousands(decimal value) => value.ToString("#,##0.##", CultureInfo.InvariantCulture);
}
