using System.Globalization;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Domain.Pricing;

/// <summary>
/// Whether a record can be priced: the rules the pricing core applies when it bills a record, in one place, so that
/// whoever enters the record (a grain, an import) refuses it then, with the choices, instead of every later statement
/// of the ente failing.
/// </summary>
public static class Priceability
{
    /// <summary>The consumption components a subscription on <paramref name="variant"/> of <paramref name="service"/> can record.</summary>
    public static IReadOnlyList<ChargeComponent> ConsumptionComponents(CatalogueService service, string? variant)
    {
        ArgumentNullException.ThrowIfNull(service);
        return [.. service.ComponentsFor(variant).Where(c => c.Kind == ChargeKind.Consumption)];
    }

    /// <summary>
    /// DESIGN rule 8: the component a consumption record of <paramref name="subject"/> is priced by: the one it names,
    /// or the only one the service has. A record naming none when there are several, or naming one the service lacks,
    /// cannot be priced; the message lists the components to choose from, with their unit and price.
    /// </summary>
    public static ValidationResult<ChargeComponent> ConsumptionComponent(
        CatalogueService service, string? variant, string? componentId, string subject)
    {
        var candidates = ConsumptionComponents(service, variant);
        var wanted = string.IsNullOrWhiteSpace(componentId) ? null : componentId.Trim();
        var of = $"service {service.Id} ({service.Name}){(variant is null ? string.Empty : " variant " + variant)}";
        if (candidates.Count == 0)
        {
            return Unpriceable($"{subject}: {of} has no consumption to record; nothing of it is priced by use");
        }

        if (wanted is not null)
        {
            return candidates.FirstOrDefault(c => c.Id == wanted) is { } named
                ? ValidationResult<ChargeComponent>.ForValue(named)
                : Unpriceable($"{subject}: {of} has no consumption component '{wanted}'; choose one of: {Describe(candidates)}");
        }

        return candidates.Count == 1
            ? ValidationResult<ChargeComponent>.ForValue(candidates[0])
            : Unpriceable($"consumption of {subject} must name its component: {of} has {candidates.Count}, "
                + $"choose one of: {Describe(candidates)}");
    }

    /// <summary>
    /// DESIGN rule 9: an on-quotation component is priced by the subscription's agreed price, which must be given
    /// and be a non-negative whole number of cents; a service with a listed price takes none. Null when fine.
    /// </summary>
    public static DomainException? AgreedPriceError(CatalogueService service, string? variant, decimal? agreed, string subject)
    {
        ArgumentNullException.ThrowIfNull(service);
        var quoted = service.ComponentsFor(variant).FirstOrDefault(c => c.OnQuotation && c.Kind != ChargeKind.Included);
        if (agreed is not { } price)
        {
            return quoted is null
                ? null
                : new MissingAgreedPriceException($"Component {quoted.Id} of service {service.Id} ({service.Name}) is on quotation, "
                    + $"and {subject} has no agreed price; give the price agreed with the ente");
        }

        if (quoted is null)
        {
            return new UnpriceableRecordException(
                $"service {service.Id} ({service.Name}) has a listed price; an agreed price of EUR {Text(price)} for {subject} is refused");
        }

        return AgreedPriceAmountError(price, subject);
    }

    /// <summary>An agreed price must be a non-negative whole number of cents. Null when it is.</summary>
    public static InvalidHistoryException? AgreedPriceAmountError(decimal price, string subject) =>
        price < 0 || decimal.Round(price, 2) != price
            ? new InvalidHistoryException(
                $"The agreed price {price.ToString(CultureInfo.InvariantCulture)} of {subject} must be a non-negative whole number of cents.")
            : null;

    /// <summary>
    /// DESIGN rule 7: a service priced only per unit or per block (antivirus per client, CLAVIS per user) bills
    /// quantity x price, so an activation with quantity 0 would bill nothing: it is refused, naming the unit.
    /// </summary>
    public static void CheckQuantity(CatalogueService service, string? variant, decimal quantity, string subject)
    {
        ArgumentNullException.ThrowIfNull(service);
        var charged = service.ComponentsFor(variant)
            .Where(c => c.Kind is not (ChargeKind.Included or ChargeKind.Consumption))
            .ToList();
        if (quantity == 0m && charged.Count > 0 && charged.All(c => c.Basis != QuantityBasis.Flat))
        {
            var unit = charged.Select(c => c.Unit).FirstOrDefault(u => u is not null) ?? "unit";
            throw new UnpriceableRecordException(
                $"{subject}: service {service.Id} ({service.Name}) is priced per {unit}; a quantity of 0 would bill nothing, "
                + $"give the number of {unit}");
        }

        // Clients, users and mailboxes come whole: 1.5 antivirus clients is a typing error, not half a licence.
        if (CountedUnit(service, variant) is { } counted)
        {
            Guard.WholeUnitsOf(quantity, counted, $"quantity of {subject}");
        }
    }

    /// <summary>The unit of the service's per-unit charges when it is counted whole (client, utente), else null.</summary>
    public static string? CountedUnit(CatalogueService service, string? variant)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.ComponentsFor(variant)
            .Where(c => c.Kind is not (ChargeKind.Included or ChargeKind.Consumption) && c.Basis != QuantityBasis.Flat)
            .Select(c => c.Unit)
            .FirstOrDefault(u => u is not null && Guard.WholeUnits.Contains(u));
    }

    /// <summary>"giornata-base (EUR 288.00 per giornata), giornata-avanzato (EUR 393.00 per giornata)".</summary>
    public static string Describe(IEnumerable<ChargeComponent> components) =>
        string.Join(", ", components.Select(c => c.Price is { } p
            ? $"{c.Id} (EUR {Text(p.Euros)}{(c.Unit is null ? string.Empty : " per " + c.Unit)})"
            : c.Id));

    private static ValidationResult<ChargeComponent> Unpriceable(string message) =>
        ValidationResult<ChargeComponent>.ForError(new UnpriceableRecordException(message));

    private static string Text(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
