using NodaTime;

namespace Cst.Actors.Domain.Catalogue;

/// <summary>
/// When a service entered a listino (DESIGN rule 13). Real history is older than the first version that lists a
/// service (a Padova mailbox of 2018, before the Disciplinare of October 2020): such facts are recorded with their true
/// dates and not billed, and they are checked against the first version that lists the service, since it must still
/// be a service the centre offers. A date on which the service is listed, or a gap after it was first listed, keeps
/// the version in force.
/// </summary>
public static class ServiceListing
{
    /// <summary>The earliest version that lists <paramref name="serviceId"/>, or null when no version does.</summary>
    public static ListinoVersion? FirstListing(this Listino listino, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(listino);
        return listino.Versions.OrderBy(v => v.EffectiveFrom).FirstOrDefault(v => v.FindService(serviceId) is not null);
    }

    /// <summary>Whether a fact dated <paramref name="date"/> comes before <paramref name="serviceId"/> was first listed, so is not billed.</summary>
    public static bool IsBeforeListing(this Listino listino, string serviceId, LocalDate date) =>
        listino.FirstListing(serviceId) is { } first && date < first.EffectiveFrom;

    /// <summary>
    /// The version a fact about <paramref name="serviceId"/> dated <paramref name="date"/> is checked against: the
    /// version in force, or the first version listing the service for a fact that precedes it. Null only before the
    /// listino's first version for a service no version lists.
    /// </summary>
    public static ListinoVersion? VersionForFact(this Listino listino, string serviceId, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(listino);
        var inForce = listino.TryVersionInForceOn(date);
        return inForce?.FindService(serviceId) is null && listino.IsBeforeListing(serviceId, date)
            ? listino.FirstListing(serviceId)
            : inForce;
    }
}
