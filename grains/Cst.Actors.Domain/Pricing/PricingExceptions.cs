namespace Cst.Actors.Domain.Pricing;

/// <summary>A history that cannot be priced as it stands: dates out of order, a variant the service lacks, and so on.</summary>
public sealed class InvalidHistoryException(string message) : DomainException(message);

/// <summary>The listino version in force for a charged period does not know the service or one of its inputs.</summary>
public sealed class TariffNotFoundException(string message) : DomainException(message);

/// <summary>No population at 1 January of the billing year, so the membership quota cannot be computed.</summary>
public sealed class MissingPopulationException(string enteId, int year)
    : DomainException($"Ente {enteId} has no population recorded at 1 January {year}; the membership quota needs it.")
{
    public string EnteId { get; } = enteId;

    public int Year { get; } = year;
}

/// <summary>An on-quotation component with no agreed price on the subscription.</summary>
public sealed class MissingAgreedPriceException(string message) : DomainException(message);

/// <summary>A renewal on or after the expiry date: the certificate has lapsed and a new device is needed (DESIGN rule 12).</summary>
public sealed class RenewalAfterExpiryException(string message) : DomainException(message);

/// <summary>A record the pricing core could not price: consumption with no component, or one the service does not have.</summary>
public sealed class UnpriceableRecordException(string message) : DomainException(message);
