using System.Collections.Immutable;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Enti;
using NodaTime;

namespace Cst.Actors.Contracts.Import;

// The import document (docs/import-format.md): everything the engine holds about a set of enti, as plain data.
// Read from JSON by ImportJson (camelCase names, ISO dates, enums by name) and from a CSV of enti by EntiCsv;
// applied by CstImporter through the grains' idempotent calls. Optional values are null, absent lists are empty.
// Dates an operation needs are nullable here so that a missing one is reported by the validator with the object
// it belongs to, rather than read as 0001-01-01.

/// <summary>A whole import: the format tag and the enti.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportDocument")]
public sealed record ImportDocument
{
    /// <summary>The only format this version reads.</summary>
    public const string CurrentFormat = "cst-import/1";

    [Id(0)] public string Format { get; init; } = CurrentFormat;

    [Id(1)] public ImmutableList<ImportEnte> Enti { get; init; } = [];
}

/// <summary>One ente with its history and its objects; imported all together or not at all.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportEnte")]
public sealed record ImportEnte
{
    [Id(0)] public string Name { get; init; } = string.Empty;

    [Id(1)] public EnteKind Kind { get; init; } = EnteKind.Comune;

    /// <summary>6 digits; the key of a Comune.</summary>
    [Id(2)] public string? IstatCode { get; init; }

    /// <summary>11 digits; the key of any body other than a Comune.</summary>
    [Id(3)] public string? CodiceFiscale { get; init; }

    [Id(4)] public LocalDate? AdheredOn { get; init; }

    /// <summary>The listino the ente is billed on; cst-padova when absent.</summary>
    [Id(5)] public string? Listino { get; init; }

    [Id(6)] public string? ReferentePec { get; init; }

    [Id(7)] public string? ReferenteEmail { get; init; }

    [Id(8)] public string? ReferenteName { get; init; }

    /// <summary>Residents at 1 January of each year.</summary>
    [Id(9)] public ImmutableList<ImportPopulation> Population { get; init; } = [];

    /// <summary>The key of the lead ente that pays for this one; null: the ente pays itself.</summary>
    [Id(10)] public string? Capofila { get; init; }

    /// <summary>The withdrawal (recesso): from this day the ente and all its objects are no longer active.</summary>
    [Id(11)] public LocalDate? WithdrawnOn { get; init; }

    [Id(12)] public ImmutableList<ImportMailbox> Mailboxes { get; init; } = [];

    [Id(13)] public ImmutableList<ImportDevice> Devices { get; init; } = [];

    [Id(14)] public ImmutableList<ImportService> Services { get; init; } = [];

    /// <summary>The billing year from which <see cref="Capofila"/> pays; null: from the year of adhesion.</summary>
    [Id(15)] public int? CapofilaFrom { get; init; }
}

/// <summary>Residents at 1 January of <see cref="Year"/>.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportPopulation")]
public sealed record ImportPopulation
{
    [Id(0)] public int Year { get; init; }

    [Id(1)] public int Inhabitants { get; init; }
}

/// <summary>A PEC mailbox: request, activation, tier history, extra space, conservazione, disdetta.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportMailbox")]
public sealed record ImportMailbox
{
    [Id(0)] public string Address { get; init; } = string.Empty;

    /// <summary>The tier it starts on: standard, silver, gold, massiva (standard for a custom-domain pack).</summary>
    [Id(1)] public string Tier { get; init; } = "standard";

    [Id(2)] public LocalDate? RequestedOn { get; init; }

    /// <summary>Null while only requested.</summary>
    [Id(3)] public LocalDate? ActivatedOn { get; init; }

    /// <summary>The custom-domain pack the mailbox belongs to (usually the domain), billed per started 10.</summary>
    [Id(4)] public string? CustomDomainPack { get; init; }

    /// <summary>Later tier changes (not on the activation day: give the starting tier in <see cref="Tier"/>).</summary>
    [Id(5)] public ImmutableList<ImportTierChange> TierChanges { get; init; } = [];

    /// <summary>Extra space in GB from each date (0 ends it).</summary>
    [Id(6)] public ImmutableList<ImportQuantity> ExtraSpaceGb { get; init; } = [];

    /// <summary>Conservazione in GB from each date (0 ends it).</summary>
    [Id(7)] public ImmutableList<ImportQuantity> ConservazioneGb { get; init; } = [];

    [Id(8)] public ImportDisdetta? Disdetta { get; init; }
}

/// <summary>From <see cref="EffectiveOn"/> the mailbox is on <see cref="Tier"/>.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportTierChange")]
public sealed record ImportTierChange
{
    [Id(0)] public LocalDate? EffectiveOn { get; init; }

    [Id(1)] public string Tier { get; init; } = string.Empty;
}

/// <summary>From <see cref="EffectiveOn"/> the quantity is <see cref="Quantity"/>.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportQuantity")]
public sealed record ImportQuantity
{
    [Id(0)] public LocalDate? EffectiveOn { get; init; }

    [Id(1)] public decimal Quantity { get; init; }
}

/// <summary>A disdetta received on <see cref="ReceivedOn"/>, with its evidence (protocol number, PEC message id).</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportDisdetta")]
public sealed record ImportDisdetta
{
    [Id(0)] public LocalDate? ReceivedOn { get; init; }

    [Id(1)] public string Evidence { get; init; } = string.Empty;
}

/// <summary>A firma device: issue, renewals in order, revocation.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportDevice")]
public sealed record ImportDevice
{
    [Id(0)] public string Serial { get; init; } = string.Empty;

    [Id(1)] public FirmaDeviceKind Kind { get; init; } = FirmaDeviceKind.BusinessKey;

    [Id(2)] public string Holder { get; init; } = string.Empty;

    [Id(3)] public LocalDate? IssuedOn { get; init; }

    [Id(4)] public ImmutableList<LocalDate> RenewedOn { get; init; } = [];

    [Id(5)] public ImportRevocation? Revocation { get; init; }
}

/// <summary>A revocation before expiry.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportRevocation")]
public sealed record ImportRevocation
{
    [Id(0)] public LocalDate? On { get; init; }

    [Id(1)] public RevocationReason Reason { get; init; } = RevocationReason.Other;
}

/// <summary>Any other catalogue service: activation, quantity history, consumption, disdetta or cessation.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportService")]
public sealed record ImportService
{
    /// <summary>The catalogue service id, e.g. "s.13".</summary>
    [Id(0)] public string Service { get; init; } = string.Empty;

    /// <summary>Tells apart several subscriptions of the ente to the same service; "1" when absent.</summary>
    [Id(1)] public string? Label { get; init; }

    [Id(2)] public string? Variant { get; init; }

    [Id(3)] public LocalDate? ActivatedOn { get; init; }

    /// <summary>The quantity at activation (clients, users, GB, TB...); 1 when absent.</summary>
    [Id(4)] public decimal Quantity { get; init; } = 1m;

    /// <summary>The agreed annual price in euros of an on-quotation service.</summary>
    [Id(5)] public decimal? AgreedPrice { get; init; }

    /// <summary>Later quantity changes (not on the activation day: give that one in <see cref="Quantity"/>).</summary>
    [Id(6)] public ImmutableList<ImportQuantity> QuantityChanges { get; init; } = [];

    [Id(7)] public ImmutableList<ImportConsumption> Consumption { get; init; } = [];

    [Id(8)] public ImportDisdetta? Disdetta { get; init; }

    /// <summary>The first day no longer active, for an end other than a disdetta (a project that closes).</summary>
    [Id(9)] public LocalDate? CeasedOn { get; init; }
}

/// <summary>Usage recorded on a day; <see cref="Id"/> is its natural key (work order, document number).</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportConsumption")]
public sealed record ImportConsumption
{
    [Id(0)] public string Id { get; init; } = string.Empty;

    [Id(1)] public LocalDate? RecordedOn { get; init; }

    [Id(2)] public decimal Quantity { get; init; }

    /// <summary>The consumption component (e.g. "giornata-base"); may be omitted when the service has one.</summary>
    [Id(3)] public string? Component { get; init; }
}
