using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Domain.Catalogue;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>One row of the catalogue screen: a listino version's service and its charges.</summary>
public sealed record TariffRow(string Listino, string Version, string Service, string Name, string Charges);

/// <summary>The listini served by the cluster, with their versions and tariffs.</summary>
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
            var listino = await session.CallAsync($"reading listino {id}", () => grain.GetListinoAsync(id));
            rows.AddRange(CatalogueRows.Of(listino));
        }

        Rows = rows;
    }
}

/// <summary>Flattens a listino into rows: one per version and service, with its components' prices.</summary>
public static class CatalogueRows
{
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
