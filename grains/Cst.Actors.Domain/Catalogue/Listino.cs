using System.Collections.Immutable;
using NodaTime;

namespace Cst.Actors.Domain.Catalogue;

/// <summary>
/// How the months of a year are counted when an annual fee is apportioned (DESIGN rule 3).
/// It belongs to the price list, because another centre may apportion differently.
/// </summary>
public enum MonthCounting
{
    /// <summary>A month counts when the service was active on more than half of its days (16 of 30, 15 of 28, not 15 of 30).</summary>
    MoreThanHalf,

    /// <summary>A month counts when the service was active on at least one of its days.</summary>
    AnyDay,
}

/// <summary>When a charge component falls due and how its amount relates to time.</summary>
public enum ChargeKind
{
    /// <summary>Una tantum: due once, in the year of the event (activation, variant change, added units), never pro-rated.</summary>
    OneOff,

    /// <summary>Annual price, apportioned by the months counted in the year (DESIGN rule 3).</summary>
    AnnualProRata,

    /// <summary>
    /// Annual price due in full for every year in which the service is active at all (DESIGN rule 4), except the year
    /// of the ente's withdrawal, pro-rated by months up to it (rule 11) unless the service started that year.
    /// </summary>
    AnnualFullYear,

    /// <summary>Annual price due from the calendar year after activation, pro-rated only where the service stops (DESIGN rule 6).</summary>
    FromSecondYear,

    /// <summary>Price of the activation year, due in full whatever the activation month (DESIGN rule 6, s.16).</summary>
    FirstYear,

    /// <summary>Price per month counted (e.g. s.18 backup hosting per TB per month).</summary>
    Monthly,

    /// <summary>Price per unit consumed, billed in the year the usage is recorded (DESIGN rule 8).</summary>
    Consumption,

    /// <summary>Part of the membership: shown on the statement at EUR 0.00 (DESIGN rule 9).</summary>
    Included,

    /// <summary>Due on each renewal event (e.g. the three-yearly renewal of a firma certificate, DESIGN rule 12).</summary>
    Renewal,
}

/// <summary>How the quantity of a subscription turns into the number of things charged.</summary>
public enum QuantityBasis
{
    /// <summary>The price is for the subscription as a whole; the quantity is ignored.</summary>
    Flat,

    /// <summary>Price per unit: quantity minus the free allowance, times the price.</summary>
    PerUnit,

    /// <summary>Price per started block: the quantity beyond the free allowance, divided by the block size and rounded up.</summary>
    PerStartedBlock,
}

/// <summary>
/// A price list (<i>listino</i>) of one centre: its versions, ordered by effective-from date.
/// A charge uses the version in force on the first day of the charged period (DESIGN rule 13).
/// </summary>
public sealed record Listino(string Id, string Name, ImmutableArray<ListinoVersion> Versions)
{
    /// <summary>The version in force on <paramref name="date"/>: the latest whose effective-from is on or before it.</summary>
    public ListinoVersion VersionInForceOn(LocalDate date) =>
        TryVersionInForceOn(date) ?? throw new NoVersionInForceException(Id, date);

    /// <summary>As <see cref="VersionInForceOn"/>, or null before the first version.</summary>
    public ListinoVersion? TryVersionInForceOn(LocalDate date)
    {
        ListinoVersion? found = null;
        foreach (var version in Versions)
        {
            if (version.EffectiveFrom <= date)
            {
                found = version;
            }
        }

        return found;
    }
}

/// <summary>
/// One version of a listino: the tariffs adopted by an act (e.g. "Disciplinare tecnico-economico, ottobre 2020")
/// and in force from <see cref="EffectiveFrom"/> until the next version. Each version is complete on its own.
/// </summary>
public sealed record ListinoVersion(
    string Id,
    LocalDate EffectiveFrom,
    string AdoptedBy,
    MonthCounting MonthCounting,
    MembershipQuota? MembershipQuota,
    ImmutableArray<CatalogueService> Services,
    string SourceFile)
{
    /// <summary>The version's PEC mailbox service and tiers (its <c>pec_mailbox</c>), or null when it declares none.</summary>
    public PecMailboxService? PecMailbox { get; init; }

    public CatalogueService? FindService(string serviceId)
    {
        foreach (var service in Services)
        {
            if (service.Id == serviceId)
            {
                return service;
            }
        }

        return null;
    }
}

/// <summary>
/// A service of the listino (e.g. "s.12" Conservazione a norma) and the components it charges.
/// When <see cref="Variants"/> is not empty a subscription must choose one of them (a tier, an option), and a
/// component with its own variant list applies only to those variants.
/// </summary>
public sealed record CatalogueService(
    string Id,
    string Name,
    string Section,
    ImmutableArray<string> Variants,
    ImmutableArray<ChargeComponent> Components)
{
    /// <summary>The components that apply to a subscription on <paramref name="variant"/>.</summary>
    public IEnumerable<ChargeComponent> ComponentsFor(string? variant) => Components.Where(c => c.AppliesTo(variant));
}

/// <summary>
/// One priced element of a service. <see cref="Price"/> is null exactly when the price is set per subscription
/// (<see cref="OnQuotation"/>) or the component is <see cref="ChargeKind.Included"/>.
/// </summary>
public sealed record ChargeComponent(
    string Id,
    string Name,
    ChargeKind Kind,
    Money? Price,
    bool OnQuotation,
    QuantityBasis Basis,
    string? Unit,
    decimal BlockSize,
    decimal FreeUnits,
    int? ValidityYears,
    ImmutableArray<string> Variants,
    string Section,
    string? Note)
{
    /// <summary>Whether the component applies to a subscription on <paramref name="variant"/> (no variant list: all).</summary>
    public bool AppliesTo(string? variant) =>
        Variants.IsDefaultOrEmpty || (variant is not null && Variants.Contains(variant));

    /// <summary>
    /// The number of things charged for <paramref name="quantity"/>: 1 for a flat price, the units beyond the free
    /// allowance, or the started blocks of those units (10 mailboxes in packs of 10 is 1 pack, 11 is 2).
    /// </summary>
    public decimal Chargeable(decimal quantity) => Chargeable(quantity, FreeUnits);

    /// <summary>
    /// As <see cref="Chargeable(decimal)"/>, with <paramref name="freeUnits"/> free instead of the whole
    /// <see cref="FreeUnits"/>: the share of the allowance that falls to one subscription when the ente's allowance is
    /// pooled over several (the statement calculator assigns it to the earliest-activated subscriptions).
    /// </summary>
    public decimal Chargeable(decimal quantity, decimal freeUnits)
    {
        var beyondFree = Math.Max(0m, quantity - freeUnits);
        return Basis switch
        {
            QuantityBasis.Flat => 1m,
            QuantityBasis.PerUnit => beyondFree,
            QuantityBasis.PerStartedBlock => Math.Ceiling(beyondFree / BlockSize),
            _ => throw new InvalidOperationException($"Unknown quantity basis {Basis}."),
        };
    }
}

/// <summary>
/// The population-tiered membership quota (<i>quota associativa annua</i>, DESIGN rule 10): the sum over the bands
/// of inhabitants in the band times its rate, or a flat amount once the population exceeds a threshold.
/// </summary>
public sealed record MembershipQuota(
    ImmutableArray<PopulationBand> Bands,
    int? FlatAbove,
    Money? FlatAmount,
    string Section,
    string? Note)
{
    /// <summary>The quota for a whole year, for the population at 1 January.</summary>
    public Money AnnualAmount(int inhabitants)
    {
        if (FlatAbove is { } threshold && FlatAmount is { } flat && inhabitants > threshold)
        {
            return flat;
        }

        var total = Money.Zero;
        foreach (var band in Bands)
        {
            var upper = band.To is { } to ? Math.Min(inhabitants, to) : inhabitants;
            var inBand = upper - band.From + 1;
            if (inBand > 0)
            {
                total += band.PerInhabitant.Times(inBand);
            }
        }

        return total;
    }
}

/// <summary>Inhabitants numbered <see cref="From"/> to <see cref="To"/> (inclusive; open-ended when null) pay <see cref="PerInhabitant"/> each.</summary>
public sealed record PopulationBand(int From, int? To, Money PerInhabitant);

/// <summary>All the listini known to the engine, by id.</summary>
public sealed record PriceCatalogue(ImmutableArray<Listino> Listini)
{
    public Listino Get(string listinoId) =>
        Listini.FirstOrDefault(l => l.Id == listinoId) ?? throw new UnknownListinoException(listinoId);
}
