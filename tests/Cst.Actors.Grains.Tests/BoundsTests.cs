using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain.Deadlines;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

/// <summary>
/// Amounts, quantities and texts bounded where they enter the grains: what would overflow the billing tables'
/// numeric(12,2) or bloat the directory is refused, naming the value, and nothing is stored or audited.
/// </summary>
[Collection(GrainsCollection.Name)]
public sealed class BoundsTests(GrainsCluster cluster)
{
    private static readonly LocalDate On = new(2023, 1, 1);

    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task OversizedPriceOrQuantity_OrHalfAClient_IsRefused_AndStoresNothing()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        var cases = new (string Key, HostedServiceActivation Activation, string Named)[]
        {
            (HostedServiceKey.For(ente, "s.10", "huge"), new HostedServiceActivation(null, On, 1m, 100000000000.00m), "100000000000.00; it is too large"),
            (HostedServiceKey.For(ente, "s.13", "huge"), new HostedServiceActivation("base", On, 1e13m, null), "10000000000000; it is too large"),
            (HostedServiceKey.For(ente, "s.13", "half"), new HostedServiceActivation("base", On, 1.5m, null), "1.5; it is counted in whole units"),
        };

        foreach (var (key, activation, named) in cases)
        {
            var error = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IHostedServiceGrain>(key).ActivateAsync(activation, Operator));
            Assert.Contains(named, error.Message, StringComparison.Ordinal);
            Assert.Empty(await cluster.StoredRowsAsync(key));
            Assert.Empty(await cluster.AuditAsync("service:" + key));
        }
    }

    [Fact]
    public async Task OversizedChanges_OnAnActiveService_AreRefused_AndLeaveItUnchanged()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        var key = HostedServiceKey.For(ente, "s.10", "1");
        var service = Client.GetGrain<IHostedServiceGrain>(key);
        await service.ActivateAsync(new HostedServiceActivation(null, On, 1m, 1200m), Operator);
        var rows = await cluster.StoredRowsAsync(key);

        await Assert.ThrowsAsync<CstDomainError>(() => service.SetAgreedPriceAsync(100000000000.00m, Operator));
        await Assert.ThrowsAsync<CstDomainError>(() => service.ChangeQuantityAsync(new LocalDate(2023, 6, 1), 1e13m, Operator));
        await Assert.ThrowsAsync<CstDomainError>(() => service.ReceiveDisdettaAsync(new LocalDate(2023, 6, 1), new string('e', 501), Operator));

        Assert.Equal(rows, await cluster.StoredRowsAsync(key));
        Assert.Equal(1200m, (await service.GetAsync()).Subscription.AgreedPrice);
    }

    [Fact]
    public async Task QuantityChange_ToHalfAClient_IsRefused_AndLeavesTheServiceUnchanged()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        var key = HostedServiceKey.For(ente, "s.13", "1");
        var service = Client.GetGrain<IHostedServiceGrain>(key);
        await service.ActivateAsync(new HostedServiceActivation("base", On, 10m, null), Operator);
        var rows = await cluster.StoredRowsAsync(key);

        var error = await Assert.ThrowsAsync<CstDomainError>(() => service.ChangeQuantityAsync(new LocalDate(2023, 6, 1), 10.5m, Operator));

        Assert.Contains("10.5; it is counted in whole units", error.Message, StringComparison.Ordinal);
        Assert.Equal(rows, await cluster.StoredRowsAsync(key));
    }

    [Theory]
    [InlineData("long", "at most 200")]
    [InlineData("Comune\u001b[2J", "U+001B at position 7")]
    [InlineData("Comune\r\nX", "U+000D at position 7")]
    [InlineData("\u202EavorP id enumoC", "U+202E at position 1")]
    public async Task Register_BadName_IsRefusedNamingTheCharacter_AndStoresNothing(string name, string named)
    {
        var istat = NewIstatCode();
        var registration = Comune(istat, name == "long" ? new string('x', 50_000) : name, new LocalDate(2022, 1, 1));

        var error = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IEnteGrain>(istat).RegisterAsync(registration, Operator));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, error.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(await Client.GetGrain<IEnteGrain>(istat).ExistsAsync());
        Assert.Empty(await cluster.StoredRowsAsync(istat));
    }

    [Fact]
    public async Task Population_AboveAnyComune_IsRefused()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));

        var error = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IEnteGrain>(ente).SetPopulationAsync(2023, 60_000_000, Operator));

        Assert.Contains("60000000; it is too large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_HolderWithALineBreak_IsRefused_AndStoresNothing()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        var serial = NewSerial();

        var error = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IFirmaDeviceGrain>(serial)
            .IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario\nRossi", On), Operator));

        Assert.Contains("holder of", error.Message, StringComparison.Ordinal);
        Assert.Contains("U+000A at position 6", error.Message, StringComparison.Ordinal);
        Assert.Empty(await cluster.StoredRowsAsync(serial));
    }
}
