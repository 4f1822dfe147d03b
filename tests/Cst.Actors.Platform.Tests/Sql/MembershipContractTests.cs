using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService;

namespace Cst.Actors.Platform.Tests.Sql;

/// <summary>Orleans' ADO.NET membership provider against our sql/orleans/02-clustering.sql.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class MembershipContractTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task Cluster_ThreeSilosStartedTogether_AllSeeEachOtherActive()
    {
        var deadline = Stopwatch.StartNew();
        int[] activeSeen;
        do
        {
            activeSeen = Enumerable.Range(0, 3)
                .Select(i => fixture.SiloServices(i).GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
                    .Count(member => member.Status == SiloStatus.Active))
                .ToArray();
            if (activeSeen.All(count => count == 3))
            {
                break;
            }

            await Task.Delay(100);
        }
        while (deadline.Elapsed < TimeSpan.FromSeconds(30));

        Assert.True(activeSeen.All(count => count == 3), $"each silo should see 3 active silos; saw {string.Join(", ", activeSeen)}");
        Assert.Equal(3L, await ScalarAsync(
            "SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = 3", fixture.ClusterId));
    }

    [Fact]
    public async Task Client_FindsGatewaysInTheMembershipTable_AndReachesTheCluster()
    {
        // The test cluster's client is configured only by UseCstGatewayDiscovery: it found the gateways there.
        var hosts = await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(3, hosts.Count);
    }

    [Fact]
    public async Task InsertRow_ConcurrentSilosWithTheSameVersion_ExactlyOneWinsAndNoOrphanRows()
    {
        var clusterId = NewClusterId();
        var tables = Enumerable.Range(0, 6).Select(_ => NewTable(clusterId)).ToArray();
        await Task.WhenAll(tables.Select(table => table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None)));
        var version = (await tables[0].ReadAllAsync(CancellationToken.None)).Version;

        var results = await Task.WhenAll(tables.Select((table, i) => table.InsertRowAsync(Entry(11000 + i), version.Next(), CancellationToken.None)));

        Assert.Single(results, won => won);
        var after = await tables[0].ReadAllAsync(CancellationToken.None);
        Assert.Single(after.Members);
        Assert.Equal(version.Version + 1, after.Version.Version);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM orleans_membership WHERE deployment_id = $1", clusterId));
    }

    [Fact]
    public async Task InsertRow_StaleVersion_IsRejectedWithoutWritingTheRow()
    {
        var clusterId = NewClusterId();
        var table = NewTable(clusterId);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        var stale = (await table.ReadAllAsync(CancellationToken.None)).Version;
        Assert.True(await table.InsertRowAsync(Entry(12000), stale.Next(), CancellationToken.None));

        var inserted = await table.InsertRowAsync(Entry(12001), stale.Next(), CancellationToken.None);

        Assert.False(inserted);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM orleans_membership WHERE deployment_id = $1", clusterId));
        Assert.Equal(stale.Version + 1, (await table.ReadAllAsync(CancellationToken.None)).Version.Version);
    }

    [Fact]
    public async Task InsertRow_SiloAlreadyPresent_ReturnsFalseAndKeepsTheVersion()
    {
        var clusterId = NewClusterId();
        var table = NewTable(clusterId);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        var entry = Entry(13000);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        var current = (await table.ReadAllAsync(CancellationToken.None)).Version;

        Assert.False(await table.InsertRowAsync(entry, current.Next(), CancellationToken.None));

        Assert.Equal(current.Version, (await table.ReadAllAsync(CancellationToken.None)).Version.Version);
    }

    // Orleans 10.4.2 sends, as @Version of an update, the etag that the read gave the row (the table version then).
    [Fact]
    public async Task UpdateRow_EtagFromAnOlderRead_IsRejected_CurrentEtagIsApplied()
    {
        var clusterId = NewClusterId();
        var table = NewTable(clusterId);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        var entry = Entry(14000);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        var old = await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);
        Assert.True(await table.InsertRowAsync(Entry(14001), old.Version.Next(), CancellationToken.None));

        var staleRow = old.Members.Single();
        staleRow.Item1.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRowAsync(staleRow.Item1, staleRow.Item2, old.Version.Next(), CancellationToken.None));
        var read = await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);
        Assert.Equal(SiloStatus.Joining, read.Members.Single().Item1.Status);
        Assert.Equal(old.Version.Version + 1, read.Version.Version);

        var row = read.Members.Single();
        row.Item1.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRowAsync(row.Item1, row.Item2, read.Version.Next(), CancellationToken.None));
        var updated = await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);
        Assert.Equal(SiloStatus.Active, updated.Members.Single().Item1.Status);
        Assert.Equal(read.Version.Version + 1, updated.Version.Version);
    }

    [Fact]
    public async Task UpdateRow_ConcurrentWritersFromOneRead_ExactlyOneWins()
    {
        var clusterId = NewClusterId();
        var tables = Enumerable.Range(0, 4).Select(_ => NewTable(clusterId)).ToArray();
        await Task.WhenAll(tables.Select(table => table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None)));
        foreach (var port in Enumerable.Range(15000, 4))
        {
            Assert.True(await tables[0].InsertRowAsync(Entry(port), (await tables[0].ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        }

        // Every writer read the same table, then each updates a different silo.
        var reads = await Task.WhenAll(tables.Select(table => table.ReadAllAsync(CancellationToken.None)));
        var version = reads[0].Version;
        var results = await Task.WhenAll(tables.Select((table, i) =>
        {
            var row = reads[i].Members.OrderBy(member => member.Item1.SiloAddress.Endpoint.Port).ElementAt(i);
            row.Item1.Status = SiloStatus.Active;
            return table.UpdateRowAsync(row.Item1, row.Item2, reads[i].Version.Next(), CancellationToken.None);
        }));

        Assert.Single(results, won => won);
        var after = await tables[0].ReadAllAsync(CancellationToken.None);
        Assert.Equal(version.Version + 1, after.Version.Version);
        Assert.Single(after.Members, member => member.Item1.Status == SiloStatus.Active);
    }

    [Fact]
    public async Task UpdateRow_SiloNotInTheTable_ReturnsFalseAndKeepsTheVersion()
    {
        var clusterId = NewClusterId();
        var table = NewTable(clusterId);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        var version = (await table.ReadAllAsync(CancellationToken.None)).Version;

        Assert.False(await table.UpdateRowAsync(Entry(16000), version.VersionEtag, version.Next(), CancellationToken.None));

        Assert.Equal(version.Version, (await table.ReadAllAsync(CancellationToken.None)).Version.Version);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_RemovesOnlyOldRowsOfSilosNotActive()
    {
        var clusterId = NewClusterId();
        var table = NewTable(clusterId);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        var old = DateTime.UtcNow.AddHours(-2);
        var deadOld = Entry(17000, SiloStatus.Dead, old);
        var activeOld = Entry(17001, SiloStatus.Active, old);
        var deadRecent = Entry(17002, SiloStatus.Dead, DateTime.UtcNow);
        foreach (var entry in new[] { deadOld, activeOld, deadRecent })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        }

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);

        var ports = (await table.ReadAllAsync(CancellationToken.None)).Members.Select(member => member.Item1.SiloAddress.Endpoint.Port).Order().ToArray();
        Assert.Equal([17001, 17002], ports);
    }

    [Fact]
    public async Task UpdateIAmAlive_WritesTheHeartbeatOnly()
    {
        var clusterId = NewClusterId();
        var table = NewTable(clusterId);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        var entry = Entry(18000);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        var version = (await table.ReadAllAsync(CancellationToken.None)).Version.Version;
        var alive = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        entry.IAmAliveTime = alive;

        await table.UpdateIAmAliveAsync(entry, CancellationToken.None);

        var read = await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);
        Assert.Equal(alive, read.Members.Single().Item1.IAmAliveTime);
        Assert.Equal(version, read.Version.Version);
    }

    private static string NewClusterId() => "membership-" + Guid.NewGuid().ToString("N")[..12];

    private AdoNetClusteringTable NewTable(string clusterId) =>
        new(
            fixture.SiloServices(0),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = PostgresClusterFixture.ServiceId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = fixture.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);

    private static MembershipEntry Entry(int port, SiloStatus status = SiloStatus.Joining, DateTime? alive = null)
    {
        var now = DateTime.UtcNow;
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 1),
            SiloName = "silo-" + port,
            HostName = "host",
            Status = status,
            ProxyPort = port + 1,
            StartTime = now,
            IAmAliveTime = alive ?? now,
        };
    }

    private async Task<long> ScalarAsync(string sql, string parameter)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
