using System.Collections.Immutable;
using NodaTime;

namespace Cst.Actors.Domain.Pricing;

/// <summary>
/// Everything about one ente that the pricing needs, as plain immutable data (it is carried in grain state).
/// Membership runs from <see cref="AdheredOn"/> (inclusive) to <see cref="WithdrawnOn"/> (exclusive: the date of
/// the <i>recesso</i>, from which the ente and all its services are no longer active).
/// </summary>
public sealed record EnteHistory(string EnteId, string ListinoId, LocalDate AdheredOn)
{
    public LocalDate? WithdrawnOn { get; init; }

    /// <summary>Resident population at 1 January of each year; the billing year's entry drives the membership quota.</summary>
    public ImmutableList<PopulationCount> Population { get; init; } = [];

    public ImmutableList<Subscription> Subscriptions { get; init; } = [];
}

/// <summary>Inhabitants at 1 January of <see cref="Year"/>.</summary>
public sealed record PopulationCount(int Year, int Inhabitants);

/// <summary>
/// One subscription of the ente to a catalogue service, e.g. a PEC mailbox (s.11, variant pec-gold), a firma
/// device, an antivirus contract for 40 clients. Active from <see cref="ActivatedOn"/> (inclusive) until the earliest
/// of: <see cref="CeasedOn"/> (exclusive), the effect of the disdetta received on <see cref="DisdettaReceivedOn"/>
/// (1 January of the following year, DESIGN rule 11) and the ente's withdrawal.
/// </summary>
public sealed record Subscription(string Id, string ServiceId, LocalDate ActivatedOn)
{
    /// <summary>The variant (tier, option) at activation, when the service has variants.</summary>
    public string? Variant { get; init; }

    /// <summary>The quantity at activation: mailboxes, GB, clients, users, TB... Ignored by flat prices.</summary>
    public decimal Quantity { get; init; } = 1m;

    public ImmutableList<QuantityChange> QuantityChanges { get; init; } = [];

    public ImmutableList<VariantChange> VariantChanges { get; init; } = [];

    public LocalDate? DisdettaReceivedOn { get; init; }

    /// <summary>First day on which the service is no longer active, for an end other than a disdetta (e.g. a device withdrawn).</summary>
    public LocalDate? CeasedOn { get; init; }

    /// <summary>The price agreed for the on-quotation component of this subscription, in euros.</summary>
    public decimal? AgreedPrice { get; init; }

    public ImmutableList<ConsumptionRecord> Consumption { get; init; } = [];

    /// <summary>Dates of renewal events (e.g. the three-yearly renewal of firma certificates).</summary>
    public ImmutableList<LocalDate> Renewals { get; init; } = [];

    /// <summary>
    /// The first day the subscription is no longer active by its own facts: the earlier of its cessation and the effect
    /// of its disdetta (DESIGN rule 11, <see cref="Deadlines.DisdettaRule"/>); null while neither is recorded. The ente's
    /// withdrawal is the ente's fact: whoever knows it ends the subscription there too.
    /// </summary>
    public LocalDate? EndsOn()
    {
        var byDisdetta = DisdettaReceivedOn is { } received ? Deadlines.DisdettaRule.CeasesOn(received) : (LocalDate?)null;
        return (byDisdetta, CeasedOn) switch
        {
            ({ } a, { } b) => LocalDate.Min(a, b),
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => null,
        };
    }

    /// <summary>Whether the subscription is active on <paramref name="day"/> by its own facts (see <see cref="EndsOn"/>).</summary>
    public bool IsActiveOn(LocalDate day) => ActivatedOn <= day && (EndsOn() is not { } end || day < end);
}

/// <summary>From <see cref="EffectiveOn"/> the subscription's quantity is <see cref="Quantity"/>.</summary>
public sealed record QuantityChange(LocalDate EffectiveOn, decimal Quantity);

/// <summary>From <see cref="EffectiveOn"/> the subscription is on <see cref="Variant"/> (e.g. PEC standard to gold).</summary>
public sealed record VariantChange(LocalDate EffectiveOn, string Variant);

/// <summary>
/// Usage recorded on <see cref="RecordedOn"/>: SMS sent, Global Service days, training places. <see cref="ComponentId"/>
/// may be omitted when the subscription has a single consumption component.
/// </summary>
public sealed record ConsumptionRecord(LocalDate RecordedOn, decimal Quantity, string? ComponentId = null);
