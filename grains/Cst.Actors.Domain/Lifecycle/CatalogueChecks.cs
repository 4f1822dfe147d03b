using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Lifecycle;

/// <summary>
/// Checks, at the moment an operator subscribes an ente to something, that the listino in force offers it; so an
/// unknown service or tier is refused when typed rather than when the bill is computed.
/// </summary>
public static class CatalogueChecks
{
    /// <summary>The PEC and firma service of the shipped listini (s.11).</summary>
    public const string PecServiceId = "s.11";

    /// <summary>The variant of s.11 for the mailboxes of a custom-domain pack (priced per started pack of 10).</summary>
    public const string CustomDomainPackVariant = "pec-personalizzate";

    /// <summary>The variant of s.11 for extra mailbox space, per GB.</summary>
    public const string ExtraSpaceVariant = "spazio-aggiuntivo";

    /// <summary>The variant of s.11 for conservazione of the mailbox content, per GB.</summary>
    public const string ConservazioneVariant = "conservazione-pec";

    /// <summary>The PEC tiers an operator names, and the s.11 variants that price them.</summary>
    public static IReadOnlyDictionary<string, string> PecTiers { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["standard"] = "pec-standard",
        ["silver"] = "pec-silver",
        ["gold"] = "pec-gold",
        ["massiva"] = "pec-massiva",
    };

    /// <summary>
    /// The service <paramref name="serviceId"/> of the version in force on <paramref name="on"/>, with the variant
    /// checked; before the first version listing the service, of that version (<see cref="ServiceListing"/>).
    /// </summary>
    public static CatalogueService Service(Listino listino, string serviceId, string? variant, LocalDate on)
    {
        ArgumentNullException.ThrowIfNull(listino);
        // A fact before the service was first listed is checked against that first listing (recorded, not billed).
        var version = listino.VersionForFact(serviceId?.Trim() ?? string.Empty, on)
            ?? throw new UnknownCatalogueItemException(listino.Id, serviceId ?? string.Empty,
                $"listino '{listino.Id}' has no version in force on {DomainText.Date(on)}; nothing can be subscribed on that day")
            {
                Code = RefusalCode.CatalogueNoVersion, Args = [listino.Id, DomainText.Date(on)],
            };
        var service = version.FindService(serviceId?.Trim() ?? string.Empty)
            ?? throw new UnknownCatalogueItemException(listino.Id, serviceId ?? string.Empty,
                $"service '{serviceId}' is not in listino '{listino.Id}' version '{version.Id}'; "
                + $"known services: {string.Join(", ", version.Services.Select(s => s.Id))}")
            {
                Code = RefusalCode.CatalogueUnknownService,
                Args = [serviceId ?? string.Empty, listino.Id, version.Id, string.Join(", ", version.Services.Select(s => s.Id))],
            };
        if (service.Variants.IsDefaultOrEmpty)
        {
            if (!string.IsNullOrWhiteSpace(variant))
            {
                throw new UnknownCatalogueItemException(listino.Id, variant,
                    $"service {service.Id} ({service.Name}) has no variants, so variant '{variant}' is refused")
                {
                    Code = RefusalCode.CatalogueNoVariants, Args = [service.Id, service.Name, variant],
                };
            }
        }
        else if (variant is null || !service.Variants.Contains(variant))
        {
            throw new UnknownCatalogueItemException(listino.Id, variant ?? string.Empty,
                $"service {service.Id} ({service.Name}) has no variant '{variant}'; "
                + $"choose one of: {string.Join(", ", service.Variants)}")
            {
                Code = RefusalCode.CatalogueUnknownVariant,
                Args = [service.Id, service.Name, variant ?? string.Empty, string.Join(", ", service.Variants)],
            };
        }

        return service;
    }

    /// <summary>The s.11 variant of the PEC tier <paramref name="tier"/> (standard, silver, gold, massiva) of the Disciplinare.</summary>
    public static string PecTierVariant(string listinoId, string? tier) =>
        PecTierVariant(listinoId, PecMailboxService.Disciplinare2020, tier);

    /// <summary>
    /// The listino's PEC mailbox service and tiers for a mailbox fact dated <paramref name="on"/>: those of the version
    /// in force, or of the first version declaring them for a fact that precedes it (as <see cref="ServiceListing"/>).
    /// A version that declares nothing but lists s.11 with the Disciplinare's tiers has the Disciplinare's mapping.
    /// </summary>
    public static PecMailboxService PecMailbox(Listino listino, LocalDate on)
    {
        ArgumentNullException.ThrowIfNull(listino);
        if (listino.TryVersionInForceOn(on) is { } inForce && DeclaredPecMailbox(inForce) is { } declared)
        {
            return declared;
        }

        var first = listino.Versions.OrderBy(v => v.EffectiveFrom)
            .Select(v => (Version: v, Pec: DeclaredPecMailbox(v))).FirstOrDefault(x => x.Pec is not null);
        return first.Pec is { } pec && on < first.Version.EffectiveFrom
            ? pec
            : throw new UnknownCatalogueItemException(listino.Id, "pec_mailbox",
                $"listino '{listino.Id}' names no PEC mailbox service in the version in force on {DomainText.Date(on)}, "
                + "so no PEC mailbox can be recorded on that day")
            {
                Code = RefusalCode.CatalogueNoPecService, Args = [listino.Id, DomainText.Date(on)],
            };
    }

    /// <summary>The variant pricing the PEC tier <paramref name="tier"/> of <paramref name="pec"/> ("" for a service without variants).</summary>
    public static string PecTierVariant(string listinoId, PecMailboxService pec, string? tier)
    {
        ArgumentNullException.ThrowIfNull(pec);
        return pec.Find(tier) is { } found
            ? found.Variant ?? string.Empty
            : throw new UnknownCatalogueItemException(listinoId, tier ?? string.Empty,
                $"PEC tier '{tier}' is unknown in listino '{listinoId}'; it must be one of {string.Join(", ", pec.Tiers.Select(t => t.Name))}")
            {
                Code = RefusalCode.CatalogueUnknownTier,
                Args = [tier ?? string.Empty, listinoId, string.Join(", ", pec.Tiers.Select(t => t.Name))],
            };
    }

    /// <summary>The variant of the PEC tier <paramref name="tier"/> in the listino in force on <paramref name="on"/>.</summary>
    public static string PecTierVariant(Listino listino, string? tier, LocalDate on) =>
        PecTierVariant(listino.Id, PecMailbox(listino, on), tier);

    private static PecMailboxService? DeclaredPecMailbox(ListinoVersion version)
    {
        if (version.PecMailbox is { } declared)
        {
            return declared;
        }

        var legacy = PecMailboxService.Disciplinare2020;
        return version.FindService(legacy.ServiceId) is { } s11 && legacy.Tiers.All(t => s11.Variants.Contains(t.Variant!))
            ? legacy
            : null;
    }

    /// <summary>Whether a subscription of <paramref name="service"/> renews by itself every year (has any annual charge).</summary>
    public static bool Renews(CatalogueService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Components.Any(c => c.Kind is ChargeKind.AnnualProRata or ChargeKind.AnnualFullYear
            or ChargeKind.FromSecondYear or ChargeKind.FirstYear or ChargeKind.Monthly or ChargeKind.Included);
    }
}
