using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Contracts.Pec;

namespace Cst.Actors.Grains.Tests.Import;

/// <summary>A cluster of its own: the demo data's keys must be new to it.</summary>
[CollectionDefinition(Name)]
public sealed class BulkImportCollection : ICollectionFixture<GrainsCluster>
{
    public const string Name = "bulk-import";
}

[Collection(BulkImportCollection.Name)]
public sealed class BulkImportTests(GrainsCluster cluster)
{
    [Fact]
    public async Task BulkImport_LeavesWhatTheCallByCallImportWould_WithOneAuditRowPerOperation()
    {
        var document = DemoData.Build(cluster.Today);

        var bulk = await new CstImporter(cluster.Client) { Bulk = true, Parallelism = 8 }.ImportAsync(document, "bulk");

        Assert.True(bulk.Succeeded, string.Join("\n", bulk.Enti));
        Assert.All(bulk.Enti, e => Assert.Equal(ImportOutcome.Created, e.Outcome));

        // The default importer, call by call, finds nothing to change: same states, same snapshots in the enti.
        var replay = await new CstImporter(cluster.Client).ImportAsync(document, "replay");
        Assert.All(replay.Enti, e => Assert.Equal(ImportOutcome.Unchanged, e.Outcome));

        // And a second bulk import changes nothing either.
        var again = await new CstImporter(cluster.Client) { Bulk = true }.ImportAsync(document, "bulk");
        Assert.All(again.Enti, e => Assert.Equal(ImportOutcome.Unchanged, e.Outcome));

        foreach (var ente in document.Enti.Take(10))
        {
            var view = await cluster.Client.GetGrain<IEnteGrain>(ente.IstatCode!).GetAsync();
            Assert.Equal(ente.Mailboxes.Count + ente.Devices.Count + ente.Services.Count, view.Children.Count);
        }

        // One audit row per operation, in the order of the history, although the object was written once.
        var upgraded = document.Enti.SelectMany(e => e.Mailboxes).First(m => m.TierChanges.Count > 0);
        Assert.Equal(["bulk request", "bulk activate", "bulk change tier"],
            (await cluster.AuditAsync("pec:" + upgraded.Address)).Where(a => a.Contains("tier", StringComparison.Ordinal) || !a.StartsWith("bulk set", StringComparison.Ordinal)));
        var held = await cluster.Client.GetGrain<IPecMailboxGrain>(upgraded.Address).GetAsync();
        Assert.Equal(upgraded.ActivatedOn, held.ActivatedOn);
        var stored = Assert.Single(await cluster.StoredRowsAsync(upgraded.Address));
        Assert.Contains(" v1 ", stored, StringComparison.Ordinal);
    }
}
