using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

/// <summary>
/// A CIT Brescia ente's PEC mailboxes are mailboxes keyed by address, billed from the listino cit-brescia, whose
/// <c>pec_mailbox</c> names its service 'pec' (no variants, a single tier 'standard').
/// </summary>
[Collection(GrainsCollection.Name)]
public sealed class BresciaPecMailboxTests(GrainsCluster cluster)
{
    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task ThreeMailboxesByAddress_ActivatedThroughTheYear_AreBilledFromSeed002ToTheCent()
    {
        var ente = NewIstatCode();
        await Client.GetGrain<IEnteGrain>(ente).RegisterAsync(
            Comune(ente, "Comune bresciano " + ente, new LocalDate(2020, 1, 1)) with { ListinoId = "cit-brescia" }, Operator);
        var first = $"protocollo.{ente}@pec.comune.bs.it";
        var second = $"anagrafe.{ente}@pec.comune.bs.it";
        var third = $"tributi.{ente}@pec.comune.bs.it";
        foreach (var (address, on) in new[] { (first, new LocalDate(2025, 2, 10)), (second, new LocalDate(2025, 5, 20)), (third, new LocalDate(2025, 8, 31)) })
        {
            var view = await Client.GetGrain<IPecMailboxGrain>(address)
                .RequestAndActivateAsync(new PecMailboxRequest(ente, "standard", on.PlusDays(-5)), on, Operator);
            Assert.Equal("standard", view.Tier);
        }

        var statement = await Client.GetGrain<IEnteGrain>(ente).GetStatementAsync(2025);

        // Seed 002 (CIT Brescia, scheda P.E.C., "costi"): the first mailbox is included in the CIT quota; each further
        // mailbox pays EUR 36.00 activation and EUR 36.00 per calendar year, re-proportioned by the months used. The
        // listino counts a month in which the mailbox worked at all (month_counting: any-day, C14).
        //   protocollo, 10 Feb: the ente's earliest mailbox, free: EUR 0.00 activation, EUR 0.00 annual.
        //   anagrafe, 20 May:   activation 36.00; May..Dec = 8 months: 36.00 x 8 / 12 = 24.00.
        //   tributi, 31 Aug:    activation 36.00; Aug (one day counts)..Dec = 5 months: 36.00 x 5 / 12 = 15.00.
        //   total: 36.00 + 24.00 + 36.00 + 15.00 = EUR 111.00.
        Assert.All(statement.Lines, l => Assert.Equal(("pec", "cit-brescia"), (l.ServiceId, l.ListinoId)));
        Assert.Equal(0m, statement.Lines.Where(l => l.SubscriptionId == first).Sum(l => l.Amount.Euros));
        Assert.Equal([("attivazione", (int?)null, 36.00m), ("mantenimento", 8, 24.00m)], Charged(statement, second));
        Assert.Equal([("attivazione", (int?)null, 36.00m), ("mantenimento", 5, 15.00m)], Charged(statement, third));
        Assert.Equal(111.00m, statement.Total.Euros);

        // The same mailboxes recorded as hosted subscriptions of 'pec' (as before mailboxes could be from any listino)
        // are priced with the same lines by the pricing core.
        var hosted = new EnteHistory(ente, "cit-brescia", new LocalDate(2020, 1, 1))
        {
            Subscriptions =
            [
                new Subscription(first, "pec", new LocalDate(2025, 2, 10)),
                new Subscription(second, "pec", new LocalDate(2025, 5, 20)),
                new Subscription(third, "pec", new LocalDate(2025, 8, 31)),
            ],
        };
        var expected = StatementCalculator.Compute(ListinoLoader.LoadShipped().Get("cit-brescia"), hosted, 2025);
        Assert.Equal(expected.Lines, statement.Lines);
    }

    [Fact]
    public async Task BresciaMailbox_TierTheListinoDoesNotName_IsRefusedNamingItsTiers()
    {
        var ente = NewIstatCode();
        await Client.GetGrain<IEnteGrain>(ente).RegisterAsync(
            Comune(ente, "Comune bresciano " + ente, new LocalDate(2020, 1, 1)) with { ListinoId = "cit-brescia" }, Operator);
        var address = $"protocollo.{ente}@pec.comune.bs.it";

        var refused = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IPecMailboxGrain>(address)
            .RequestAsync(new PecMailboxRequest(ente, "gold", new LocalDate(2025, 3, 1)), Operator));

        Assert.Contains("PEC tier 'gold' is unknown in listino 'cit-brescia'; it must be one of standard", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await cluster.StoredRowsAsync(address));
    }

    private static List<(string Component, int? Months, decimal Amount)> Charged(Statement statement, string address) =>
        [.. statement.Lines.Where(l => l.SubscriptionId == address && l.Amount.Euros != 0)
            .OrderBy(l => l.ComponentId, StringComparer.Ordinal).Select(l => (l.ComponentId, l.Months, l.Amount.Euros))];
}
