using System.Collections.Immutable;
using Cst.Actors.Domain.Pricing;
using NodaTime;
using Orleans;

namespace Cst.Actors.Contracts.Serialization;

// The billing facts an ente holds for each of its objects (ChildSnapshot.Subscriptions) and its population counts are
// most of its stored state: about a hundred subscriptions for a comune of 10,000 inhabitants. Carried as JSON, each
// value is a type name and a JSON document to parse; a national billing run activates 7,904 enti and spent most of
// its CPU there. These surrogates give them Orleans' own binary format instead (fields by [Id], no type names).
//
// States written before, with a JSON field, are still read: such a field names the JSON codec as its encoding, so
// Orleans reads it with that codec, which is still registered for every domain type (DomainSerialization).
// The surrogates are part of the stored format: never renumber or reuse an [Id], never change a field's meaning.

/// <summary>A <see cref="Subscription"/> and its facts.</summary>
[GenerateSerializer, Immutable, Alias("cst.domain.Subscription")]
public readonly record struct SubscriptionSurrogate(
    [property: Id(0)] string Id,
    [property: Id(1)] string ServiceId,
    [property: Id(2)] LocalDate ActivatedOn,
    [property: Id(3)] string? Variant,
    [property: Id(4)] decimal Quantity,
    [property: Id(5)] QuantityChangeSurrogate[]? QuantityChanges,
    [property: Id(6)] VariantChangeSurrogate[]? VariantChanges,
    [property: Id(7)] LocalDate? DisdettaReceivedOn,
    [property: Id(8)] LocalDate? CeasedOn,
    [property: Id(9)] decimal? AgreedPrice,
    [property: Id(10)] ConsumptionRecordSurrogate[]? Consumption,
    [property: Id(11)] LocalDate[]? Renewals);

/// <summary>A <see cref="QuantityChange"/>.</summary>
[GenerateSerializer, Immutable, Alias("cst.domain.QuantityChange")]
public readonly record struct QuantityChangeSurrogate(
    [property: Id(0)] LocalDate EffectiveOn,
    [property: Id(1)] decimal Quantity);

/// <summary>A <see cref="VariantChange"/>.</summary>
[GenerateSerializer, Immutable, Alias("cst.domain.VariantChange")]
public readonly record struct VariantChangeSurrogate(
    [property: Id(0)] LocalDate EffectiveOn,
    [property: Id(1)] string Variant);

/// <summary>A <see cref="ConsumptionRecord"/>.</summary>
[GenerateSerializer, Immutable, Alias("cst.domain.ConsumptionRecord")]
public readonly record struct ConsumptionRecordSurrogate(
    [property: Id(0)] LocalDate RecordedOn,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] string? ComponentId);

/// <summary>A <see cref="PopulationCount"/>.</summary>
[GenerateSerializer, Immutable, Alias("cst.domain.PopulationCount")]
public readonly record struct PopulationCountSurrogate(
    [property: Id(0)] int Year,
    [property: Id(1)] int Inhabitants);

/// <summary>Converts <see cref="Subscription"/> for Orleans; empty lists travel as nothing.</summary>
[RegisterConverter]
public sealed class SubscriptionConverter : IConverter<Subscription, SubscriptionSurrogate>
{
    /// <inheritdoc/>
    public Subscription ConvertFromSurrogate(in SubscriptionSurrogate surrogate) =>
        new(surrogate.Id, surrogate.ServiceId, surrogate.ActivatedOn)
        {
            Variant = surrogate.Variant,
            Quantity = surrogate.Quantity,
            QuantityChanges = List(surrogate.QuantityChanges, q => new QuantityChange(q.EffectiveOn, q.Quantity)),
            VariantChanges = List(surrogate.VariantChanges, v => new VariantChange(v.EffectiveOn, v.Variant)),
            DisdettaReceivedOn = surrogate.DisdettaReceivedOn,
            CeasedOn = surrogate.CeasedOn,
            AgreedPrice = surrogate.AgreedPrice,
            Consumption = List(surrogate.Consumption, c => new ConsumptionRecord(c.RecordedOn, c.Quantity, c.ComponentId)),
            Renewals = List(surrogate.Renewals, d => d),
        };

    /// <inheritdoc/>
    public SubscriptionSurrogate ConvertToSurrogate(in Subscription value) =>
        new(value.Id, value.ServiceId, value.ActivatedOn, value.Variant, value.Quantity,
            Array(value.QuantityChanges, q => new QuantityChangeSurrogate(q.EffectiveOn, q.Quantity)),
            Array(value.VariantChanges, v => new VariantChangeSurrogate(v.EffectiveOn, v.Variant)),
            value.DisdettaReceivedOn, value.CeasedOn, value.AgreedPrice,
            Array(value.Consumption, c => new ConsumptionRecordSurrogate(c.RecordedOn, c.Quantity, c.ComponentId)),
            Array(value.Renewals, d => d));

    private static ImmutableList<TValue> List<TSurrogate, TValue>(TSurrogate[]? items, Func<TSurrogate, TValue> convert) =>
        items is null or { Length: 0 } ? [] : [.. items.Select(convert)];

    private static TSurrogate[]? Array<TValue, TSurrogate>(ImmutableList<TValue>? items, Func<TValue, TSurrogate> convert) =>
        items is null or { Count: 0 } ? null : [.. items.Select(convert)];
}

/// <summary>Converts <see cref="PopulationCount"/> for Orleans.</summary>
[RegisterConverter]
public sealed class PopulationCountConverter : IConverter<PopulationCount, PopulationCountSurrogate>
{
    /// <inheritdoc/>
    public PopulationCount ConvertFromSurrogate(in PopulationCountSurrogate surrogate) => new(surrogate.Year, surrogate.Inhabitants);

    /// <inheritdoc/>
    public PopulationCountSurrogate ConvertToSurrogate(in PopulationCount value) => new(value.Year, value.Inhabitants);
}
