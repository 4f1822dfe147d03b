using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

/// <summary>
/// Methods meant for the silo's own grains (an object handing its billing snapshot to its ente, the directory's
/// entries, an object's end for the ente's withdrawal) are refused to a client, and change nothing; grains still use them.
/// </summary>
[Collection(GrainsCollection.Name)]
public sealed class SiloInternalCallTests(GrainsCluster cluster)
{
    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task PutChildAsync_FromAClient_IsRefused_AndTheStatementAndIndexStay()
    {
        var (ente, service) = await EnteWithAntivirusAsync();
        var grain = Client.GetGrain<IEnteGrain>(ente);
        var viewBefore = await grain.GetAsync();
        var statementBefore = await grain.GetStatementAsync(2026);
        var auditBefore = await cluster.AuditAsync("service:" + service);
        Assert.NotEqual(0m, statementBefore.Total.Euros);

        // The snapshot an attacker would send: the service emptied of its subscriptions (its line would vanish).
        var empty = new ChildSnapshot(ChildKind.HostedService, service, 99, [], null, "nothing");
        var ghost = new ChildSnapshot(ChildKind.HostedService, HostedServiceKey.For(ente, "s.13", "ghost"), 1, [], null, "ghost");
        await AssertRefusedAsync(() => grain.PutChildAsync(empty), "PutChildAsync");
        await AssertRefusedAsync(() => grain.PutChildrenAsync([empty, ghost]), "PutChildrenAsync");
        await AssertRefusedAsync(() => grain.CheckChildAsync(empty), "CheckChildAsync");

        var viewAfter = await grain.GetAsync();
        Assert.Equal(viewBefore.Children, viewAfter.Children);
        Assert.Equal(statementBefore.Lines, (await grain.GetStatementAsync(2026)).Lines);
        Assert.Equal(auditBefore, await cluster.AuditAsync("service:" + service));
    }

    [Fact]
    public async Task EndForWithdrawal_AndDirectoryUpsert_FromAClient_AreRefused_AndChangeNothing()
    {
        var (ente, service) = await EnteWithAntivirusAsync();
        var serviceGrain = Client.GetGrain<IHostedServiceGrain>(service);
        var before = await serviceGrain.GetAsync();
        await AssertRefusedAsync(() => serviceGrain.EndForWithdrawalAsync(new LocalDate(2026, 3, 1), "sindaco.padova"), "EndForWithdrawalAsync");
        Assert.Equal(before.Status, (await serviceGrain.GetAsync()).Status);
        Assert.Null((await serviceGrain.GetAsync()).EndsOn);

        var directory = Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key);
        var entry = (await directory.ListAsync()).Single(e => e.EnteId == ente);
        await AssertRefusedAsync(() => directory.UpsertAsync(entry with { Name = "Comune falso" }), "UpsertAsync");
        Assert.Equal(entry, (await directory.ListAsync()).Single(e => e.EnteId == ente));
    }

    [Fact]
    public async Task AttachImported_AnObjectThatDoesNotExistOrBelongsToAnother_IsRefused_AndStoresNothing()
    {
        var (ente, service) = await EnteWithAntivirusAsync();
        var (other, othersService) = await EnteWithAntivirusAsync();
        var grain = Client.GetGrain<IEnteGrain>(ente);
        var before = await grain.GetAsync();

        var missing = HostedServiceKey.For(ente, "s.13", "never");
        var notFound = await Assert.ThrowsAsync<CstDomainError>(() => grain.AttachImportedAsync([new ChildKey(ChildKind.HostedService, missing)]));
        Assert.Contains(missing, notFound.Message, StringComparison.Ordinal);
        var notOwned = await Assert.ThrowsAsync<CstDomainError>(() =>
            grain.AttachImportedAsync([new ChildKey(ChildKind.HostedService, service), new ChildKey(ChildKind.HostedService, othersService)]));
        Assert.Contains(other, notOwned.Message, StringComparison.Ordinal);

        Assert.Equal(before.Children, (await grain.GetAsync()).Children);
        Assert.Empty(await cluster.StoredRowsAsync(missing));

        // Its own object, attached again, is what the object holds: nothing changes.
        await grain.AttachImportedAsync([new ChildKey(ChildKind.HostedService, service)]);
        Assert.Equal(before.Children, (await grain.GetAsync()).Children);
    }

    [Fact]
    public async Task OwnedObjectSnapshot_FromAClient_IsRefused()
    {
        var (ente, service) = await EnteWithAntivirusAsync();
        var reference = Client.GetGrain<IHostedServiceGrain>(service).AsReference<IOwnedObjectGrain>();
        await AssertRefusedAsync(() => reference.GetSnapshotForAsync(ente), "GetSnapshotForAsync");
    }

    private async Task<(string Ente, string Service)> EnteWithAntivirusAsync()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        await Client.GetGrain<IEnteGrain>(ente).SetPopulationAsync(2026, 3_000, Operator);
        var service = HostedServiceKey.For(ente, "s.13", "1");
        await Client.GetGrain<IHostedServiceGrain>(service)
            .ActivateAsync(new HostedServiceActivation("base", new LocalDate(2023, 1, 1), 10m, null), Operator);
        return (ente, service);
    }

    private static async Task AssertRefusedAsync(Func<Task> call, string method)
    {
        var error = await Assert.ThrowsAsync<CstDomainError>(call);
        Assert.Equal(SiloInternalCallFilter.Kind, error.Kind);
        Assert.Contains(method, error.Message, StringComparison.Ordinal);
    }
}
