using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Contracts.Pec;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Import;

/// <summary>
/// An import document gives a CIT Brescia ente's mailboxes as any other mailboxes (<c>mailboxes</c>, by address), with
/// the tier named by the listino's own tier names (cit-brescia has one: standard, the default).
/// </summary>
[Collection(GrainsCollection.Name)]
public sealed class BresciaImportTests(GrainsCluster cluster)
{
    private IClusterClient Client => cluster.Client;

    private static string Document(string istat, string secondTier) => $$"""
        {
          "format": "cst-import/1",
          "enti": [
            {
              "name": "Comune bresciano {{istat}}",
              "kind": "Comune",
              "istatCode": "{{istat}}",
              "adheredOn": "2020-01-01",
              "listino": "cit-brescia",
              "mailboxes": [
                { "address": "protocollo.{{istat}}@pec.comune.bs.it", "requestedOn": "2025-01-20", "activatedOn": "2025-01-27" },
                { "address": "ragioneria.{{istat}}@pec.comune.bs.it", "tier": "{{secondTier}}", "requestedOn": "2025-06-25", "activatedOn": "2025-07-01" }
              ]
            }
          ]
        }
        """;

    [Fact]
    public async Task BresciaMailboxes_AreImportedByAddress_BilledFromCitBrescia_AndTheSameFileAgainChangesNothing()
    {
        var istat = NewIstatCode();
        var document = ImportJson.Parse(Document(istat, "standard")).Document!;

        var first = Assert.Single((await new CstImporter(Client).ImportAsync(document, "import-test")).Enti);
        var again = Assert.Single((await new CstImporter(Client).ImportAsync(document, "import-test")).Enti);

        Assert.Equal((ImportOutcome.Created, 3), (first.Outcome, first.Changes));
        Assert.Equal(ImportOutcome.Unchanged, again.Outcome);
        var box = await Client.GetGrain<IPecMailboxGrain>($"ragioneria.{istat}@pec.comune.bs.it").GetAsync();
        Assert.Equal(("standard", "pec"), (box.Tier, Assert.Single(box.Subscriptions).ServiceId));

        // Seed 002: protocollo (the earliest) is free; ragioneria pays EUR 36.00 activation and EUR 36.00 x 6 / 12
        // = 18.00 for July..December 2025 (any day of a month counts it). Total EUR 54.00.
        var statement = await Client.GetGrain<IEnteGrain>(istat).GetStatementAsync(2025);
        Assert.Equal(54.00m, statement.Total.Euros);
    }

    [Fact]
    public async Task BresciaMailbox_WithAPadovaTier_IsRefusedNamingTheListinoTiers()
    {
        var istat = NewIstatCode();
        var document = ImportJson.Parse(Document(istat, "silver")).Document!;

        var result = Assert.Single((await new CstImporter(Client).ImportAsync(document, "import-test")).Enti);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Contains($"PEC mailbox ragioneria.{istat}@pec.comune.bs.it: PEC tier 'silver' is unknown in listino 'cit-brescia'; it must be one of standard",
            result.Reasons);
        Assert.False(await Client.GetGrain<IEnteGrain>(istat).ExistsAsync());
    }
}
