using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using NodaTime.Text;

namespace Cst.Actors.Domain.Catalogue;

/// <summary>How a tariff differs between two versions of a listino.</summary>
public enum TariffChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>
/// One tariff (a component of a service, or the membership quota) that differs between two versions. The prices are
/// null for a tariff without a fixed price (included, on quotation) or absent from that side; <see cref="Old"/> and
/// <see cref="New"/> describe all its terms, so a change other than the price (block size, variants) is visible too.
/// </summary>
public sealed record TariffChange(
    string ServiceId,
    string ComponentId,
    string Name,
    TariffChangeKind Kind,
    Money? OldPrice,
    Money? NewPrice,
    string? Old,
    string? New);

/// <summary>Compares two versions of a listino, tariff by tariff, and gives each version a canonical text.</summary>
public static class ListinoDiff
{
    public const string QuotaServiceId = "quota";

    /// <summary>
    /// The tariffs added, removed and changed from <paramref name="from"/> to <paramref name="to"/>, in the order of
    /// <paramref name="to"/> (removed ones after), by service id and component id.
    /// </summary>
    public static ImmutableList<TariffChange> Compare(ListinoVersion from, ListinoVersion to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var before = Tariffs(from);
        var after = Tariffs(to);
        var changes = new List<TariffChange>();
        foreach (var (key, tariff) in after)
        {
            if (!before.TryGetValue(key, out var old))
            {
                changes.Add(new TariffChange(key.Service, key.Component, tariff.Name, TariffChangeKind.Added, null, tariff.Price, null, tariff.Terms));
            }
            else if (old.Terms != tariff.Terms)
            {
                changes.Add(new TariffChange(key.Service, key.Component, tariff.Name, TariffChangeKind.Changed, old.Price, tariff.Price, old.Terms, tariff.Terms));
            }
        }

        foreach (var (key, old) in before)
        {
            if (!after.ContainsKey(key))
            {
                changes.Add(new TariffChange(key.Service, key.Component, old.Name, TariffChangeKind.Removed, old.Price, null, old.Terms, null));
            }
        }

        return [.. changes];
    }

    /// <summary>
    /// Everything that prices or names a tariff in the version, as one text: equal texts price every history the same.
    /// The file the version came from and the act adopting it are not part of it (the act is kept beside it).
    /// </summary>
    public static string Canonical(ListinoVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"version {version.Id} from {LocalDatePattern.Iso.Format(version.EffectiveFrom)} counting {version.MonthCounting}\n");
        foreach (var (key, tariff) in Tariffs(version))
        {
            text.Append(CultureInfo.InvariantCulture, $"{key.Service}/{key.Component} {tariff.Name}: {tariff.Terms} | {tariff.Extra}\n");
        }

        if (version.PecMailbox is { } pec)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"pec mailbox {pec.ServiceId}: {string.Join(", ", pec.Tiers.Select(t => t.Name + "=" + t.Variant))}\n");
        }

        return text.ToString();
    }

    private readonly record struct Key(string Service, string Component);

    private sealed record Tariff(string Name, Money? Price, string Terms, string Extra);

    private static Dictionary<Key, Tariff> Tariffs(ListinoVersion version)
    {
        // Insertion order is kept by Dictionary while nothing is removed: the listino's own order.
        var tariffs = new Dictionary<Key, Tariff>();
        if (version.MembershipQuota is { } quota)
        {
            var bands = string.Join(", ", quota.Bands.Select(b => string.Create(CultureInfo.InvariantCulture,
                $"{b.From}-{(b.To is { } to ? to.ToString(CultureInfo.InvariantCulture) : "")} {b.PerInhabitant}/inhabitant")));
            var flat = quota.FlatAbove is { } above ? string.Create(CultureInfo.InvariantCulture, $", {quota.FlatAmount} flat above {above}") : "";
            tariffs[new Key(QuotaServiceId, "quota-associativa")] =
                new Tariff("Quota associativa annua", null, bands + flat, $"section {quota.Section}; note {quota.Note}");
        }

        foreach (var service in version.Services)
        {
            var variants = service.Variants.IsDefaultOrEmpty ? "" : string.Join(",", service.Variants);
            foreach (var c in service.Components)
            {
                tariffs[new Key(service.Id, c.Id)] = new Tariff(c.Name, c.Price, Terms(c),
                    $"service {service.Name}; section {service.Section}; service variants [{variants}]; unit {c.Unit}; note {c.Note}");
            }
        }

        return tariffs;
    }

    private static string Terms(ChargeComponent c)
    {
        var price = c.OnQuotation ? "on quotation" : c.Price is { } p ? p.ToString() : "-";
        var basis = c.Basis switch
        {
            QuantityBasis.PerUnit => " per unit",
            QuantityBasis.PerStartedBlock => string.Create(CultureInfo.InvariantCulture, $" per started block of {c.BlockSize}"),
            _ => "",
        };
        var free = c.FreeUnits != 0m ? string.Create(CultureInfo.InvariantCulture, $", {c.FreeUnits} free") : "";
        var validity = c.ValidityYears is { } years ? string.Create(CultureInfo.InvariantCulture, $", valid {years} years") : "";
        var variants = c.Variants.IsDefaultOrEmpty ? "" : $", variants {string.Join(",", c.Variants)}";
        return $"{KindName(c.Kind)} {price}{basis}{free}{validity}{variants}";
    }

    /// <summary>The kind as the YAML format writes it.</summary>
    public static string KindName(ChargeKind kind) => kind switch
    {
        ChargeKind.OneOff => "one-off",
        ChargeKind.AnnualProRata => "annual",
        ChargeKind.AnnualFullYear => "annual-full-year",
        ChargeKind.FromSecondYear => "from-second-year",
        ChargeKind.FirstYear => "first-year",
        ChargeKind.Monthly => "monthly",
        ChargeKind.Consumption => "consumption",
        ChargeKind.Included => "included",
        ChargeKind.Renewal => "renewal",
        _ => kind.ToString(),
    };
}
