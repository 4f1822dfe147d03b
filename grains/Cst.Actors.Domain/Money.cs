using System.Globalization;

namespace Cst.Actors.Domain;

/// <summary>
/// An amount in euros, always a whole number of cents. Every computed amount goes through
/// <see cref="RoundedFrom"/>, the one rounding policy of the project (DESIGN rule 2): to the cent,
/// half away from zero. Totals are sums of already-rounded amounts, so they need no rounding.
/// Negative amounts are legal: adjustment lines of a revised billing run can be credits.
/// </summary>
public readonly record struct Money : IComparable<Money>
{
    private Money(decimal euros) => Euros = euros;

    /// <summary>The amount in euros, with at most two decimal places.</summary>
    public decimal Euros { get; }

    public static Money Zero => default;

    /// <summary>An exact amount such as a tariff; refuses fractions of a cent rather than rounding them silently.</summary>
    public static Money Euro(decimal euros)
    {
        var rounded = decimal.Round(euros, 2, MidpointRounding.AwayFromZero);
        if (rounded != euros)
        {
            throw new ArgumentOutOfRangeException(nameof(euros), euros,
                $"EUR {euros.ToString(CultureInfo.InvariantCulture)} is not a whole number of cents.");
        }

        return new Money(rounded);
    }

    /// <summary>The rounding policy: to the cent, half away from zero (0.005 becomes 0.01, -0.005 becomes -0.01).</summary>
    public static Money RoundedFrom(decimal exactEuros) =>
        new(decimal.Round(exactEuros, 2, MidpointRounding.AwayFromZero));

    /// <summary>This amount times <paramref name="factor"/> (a quantity), rounded once.</summary>
    public Money Times(decimal factor) => RoundedFrom(Euros * factor);

    /// <summary>
    /// This amount times <paramref name="numerator"/> / <paramref name="denominator"/>, rounded once.
    /// Multiplies before dividing so that 36 x 5 / 12 is exactly 15 with no intermediate repeating decimal.
    /// </summary>
    public Money Prorate(decimal numerator, decimal denominator)
    {
        if (denominator == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), "A pro-rata denominator cannot be zero.");
        }

        return RoundedFrom(Euros * numerator / denominator);
    }

    public static Money Sum(IEnumerable<Money> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var total = 0m;
        foreach (var amount in amounts)
        {
            total += amount.Euros;
        }

        return new Money(total);
    }

    public static Money operator +(Money left, Money right) => new(left.Euros + right.Euros);

    public static Money operator -(Money left, Money right) => new(left.Euros - right.Euros);

    public static Money operator -(Money value) => new(-value.Euros);

    public static bool operator <(Money left, Money right) => left.Euros < right.Euros;

    public static bool operator >(Money left, Money right) => left.Euros > right.Euros;

    public static bool operator <=(Money left, Money right) => left.Euros <= right.Euros;

    public static bool operator >=(Money left, Money right) => left.Euros >= right.Euros;

    public int CompareTo(Money other) => Euros.CompareTo(other.Euros);

    /// <summary>Invariant form with a point and two decimals ("1234.50"), for logs, files and tests.</summary>
    public override string ToString() => Euros.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The form an Italian reader expects: "EUR 1.234,50".</summary>
    public string ToItalianString() => "EUR " + Euros.ToString("#,##0.00", ItalianCulture);

    private static readonly CultureInfo ItalianCulture = CultureInfo.GetCultureInfo("it-IT");
}
