using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

[Collection(GrainsCollection.Name)]
public sealed class CatalogueAndDirectoryTests(GrainsCluster cluster)
{
    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task Catalogue_ServesTheShippedListini_WithPricesIntact()
    {
        var catalogue = Client.GetGrain<ICatalogueGrain>(ICatalogueGrain.Key);

        Assert.Contains(Listino, await catalogue.GetListinoIdsAsync());
        var listino = await catalogue.GetListinoAsync(Listino);
        var version = await catalogue.GetVersionInForceAsync(Listino, new LocalDate(2025, 6, 1));
        Assert.Equal(listino.Versions[^1].Id, version.Id);
        Assert.Equal(22m, version.FindService("s.11")!.Components.Single(c => c.Id == "pec-gold").Price!.Value.Euros);
        var unknown = await Assert.ThrowsAsync<CstDomainError>(() => catalogue.GetListinoAsync("cst-atlantide"));
        Assert.Contains("cst-atlantide", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directory_FindsEntiByNameIgnoringCaseAndAccents_AndByCode()
    {
        var name = "Comune di Sant'Elena d'Està " + Unique("x");
        var istat = await NewComuneAsync(Client, new LocalDate(2020, 1, 1), name);
        var directory = Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key);

        Assert.Contains(await directory.SearchAsync("SANT'ELENA D'ESTA", 500), e => e.EnteId == istat);
        Assert.Contains(await directory.SearchAsync(istat, 5), e => e.Name == name);
        Assert.Contains(await directory.ListAsync(), e => e.EnteId == istat);

        // A rename (an edit) reaches the directory.
        var renamed = Comune(istat, "Comune di Solesino " + istat, new LocalDate(2020, 1, 1));
        await Client.GetGrain<IEnteGrain>(istat).EditAsync(renamed, Operator);
        Assert.Equal(renamed.Name, (await directory.SearchAsync(istat, 5)).Single().Name);
    }

    [Fact]
    public async Task Directory_ManyEntiRegisteredAtOnce_AllListed_InFewerWritesThanEnti()
    {
        // The directory is one stored state rewritten whole: enti registered together (a bulk import) share its writes.
        const string writes = "SELECT coalesce(max(version), 0)::bigint FROM orleans_storage WHERE grain_id_extension = 'all' AND grain_type LIKE '%directory%'";
        var before = await cluster.CountAsync(writes);

        var enti = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => NewComuneAsync(Client, new LocalDate(2020, 1, 1))));

        var written = await cluster.CountAsync(writes) - before;
        var listed = await Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).ListAsync();
        Assert.All(enti, e => Assert.Contains(listed, l => l.EnteId == e));
        Assert.InRange(written, 1, enti.Length - 1);
    }
}
