using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Deadlines;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

/// <summary>Refusals say what is wrong in plain words, about the object the operator acted on.</summary>
[Collection(GrainsCollection.Name)]
public sealed class MessageTests(GrainsCluster cluster)
{
    [Fact]
    public async Task Renew_ExpiredDeviceIssuedInJanuary2020_SaysItExpiredNotThatTheListinoLacksTheService()
    {
        // Issued on 15 January 2020 (before the Disciplinare of October 2020 listed s.11): valid 3 years, to 2023-01-15.
        var ente = await NewComuneAsync(cluster.Client, new LocalDate(2020, 1, 1));
        var serial = NewSerial();
        var device = cluster.Client.GetGrain<IFirmaDeviceGrain>(serial);
        await device.IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario Rossi", new LocalDate(2020, 1, 15)), Operator);

        var refusal = await Assert.ThrowsAsync<CstDomainError>(() => device.RenewAsync(cluster.Today, Operator));

        Assert.Contains("expired on 2023-01-15", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("listino", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_FinalRunNeverStarted_SaysItHasNotBeenStarted()
    {
        var grain = cluster.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2019, BillingRunMode.Final));

        var refusal = await Assert.ThrowsAsync<CstDomainError>(() => grain.CloseAsync(Operator));

        Assert.Equal("only a completed run can be closed; revision 1 has not been started", refusal.Message);
    }
}
