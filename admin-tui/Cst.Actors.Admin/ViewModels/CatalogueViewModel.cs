using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Domain.Catalogue;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>One row of the catalogue screen: a listino version's service and its charges.</summary>
public sealed record TariffRow(string Listino, string Version, string Service, string Name, string Charges);

/// <summary>
/// The listini held by the cluster, every version (drafts too) headed by a row with its act and status, then its
/// services and their charges.
/// </summary>
public sealed class CatalogueViewModel(AdminSession session)
{
    public IReadOnlyList<TariffRow> Rows { get; private set; } = [];

    public async Task LoadAsync()
    {
        var grain = session.Grains.GetGrain<ICatalogueGrain>(ICatalogueGrain.Key);
        var ids = await session.CallAsync("listing the listini", () => grain.GetListinoIdsAsync());
        var rows = new List<TariffRow>();
        foreach (var id in ids)
        {
            var listino = session.Grains.GetGrain<IListinoGrain>(id);
            var summary = await session.CallAsync($"reading listino {id}", () => listino.GetSummaryAsync());
            foreach (var info in summary.Versions)
            {
                var version = await session.CallAsync($"reading version {info.Version} of listino {id}", () => listino.GetVersionAsync(info.Version));
                rows.AddRange(CatalogueRows.Of(summary, info, version));
            }
        }

        Rows = rows;
    }
}

/// <summary>Flattens a listino into rows: one per version and service, with its components' prices.</summary>
public static class CatalogueRows
{
    /// <summary>One version as the catalogue screen lists it: a row with its act and status, then its services.</summary>
    public static IEnumerable<TariffRow> Of(ListinoSummary summary, ListinoVersionInfo info, ListinoVersion version)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(info);
        var status = info.Status == ListinoVersionStatus.Adopted ? "adopted" : "DRAFT";
        var label = $"{info.Version} ({Input.Date(info.EffectiveFrom)})";
        yield return new TariffRow(summary.Id, label, "version", $"{status}: {info.Act}",
            $"loaded by {info.LoadedBy} from {info.SourceFile}" + (info.AdoptedBy is { } by ? $", adopted by {by}" : string.Empty));
        foreach (var row in Of(new Listino(summary.Id, summary.Name, [version])))
        {
            yield return row;
        }
    }

    public static IEnumerable<TariffRow> Of(Listino listino)
    {
        ArgumentNullException.ThrowIfNull(listino);
        foreach (var version in listino.Versions)
        {
            var label = $"{version.Id} ({Input.Date(version.EffectiveFrom)})";
            if (version.MembershipQuota is not null)
            {
                yield return new TariffRow(listino.Id, label, "quota", "Membership quota", "per inhabitant by population band");
            }

            foreach (var service in version.Services)
            {
                var charges = string.Join("; ", service.Components.Select(c =>
                    $"{c.Name}: " + (c.Price is { } p ? "EUR " + Input.Euro(p) : c.OnQuotation ? "on quotation" : c.Kind.ToString())
                    + (c.Unit is { } u ? "/" + u : string.Empty)
                    + (c.Variants.IsDefaultOrEmpty ? string.Empty : " [" + string.Join(",", c.Variants) + "]")));
                yield return new TariffRow(listino.Id, label, service.Id, service.Name, charges);
            }
        }
    }
}
