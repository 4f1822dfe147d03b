using Cst.Actors.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Cst.Actors.Platform.Tests.Sql;

/// <summary>Orleans' ADO.NET grain storage (as wired by UseCstPostgres) against our sql/orleans/03-persistence.sql.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class StorageContractTests(PostgresClusterFixture fixture)
{
    private const string StateName = "state";

    private IGrainStorage Storage => fixture.SiloServices(0).GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    [Fact]
    public async Task WriteState_StaleETag_IsRejectedAndKeepsTheNewerState()
    {
        var grainId = NewGrainId();
        var current = new GrainState<List<int>>([1]);
        await Storage.WriteStateAsync(StateName, grainId, current);
        var stale = new GrainState<List<int>>([99]) { ETag = current.ETag };
        current.State = [2];
        await Storage.WriteStateAsync(StateName, grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, stale));

        var read = new GrainState<List<int>>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal([2], read.State);
        Assert.Equal(current.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task WriteState_TwoFirstWritesOfOneGrain_OneWinsAndOneRowExists()
    {
        var grainId = NewGrainId();
        var first = new GrainState<List<int>>([1]);
        var second = new GrainState<List<int>>([2]);

        var outcomes = await Task.WhenAll(
            Outcome(Storage.WriteStateAsync(StateName, grainId, first)),
            Outcome(Storage.WriteStateAsync(StateName, grainId, second)));

        Assert.Single(outcomes, ok => ok);
        Assert.Equal(1L, await CountRowsAsync(grainId));
    }

    [Fact]
    public async Task WriteState_ETagIsTheIncrementedVersion()
    {
        var grainId = NewGrainId();
        var state = new GrainState<List<int>>([1]);

        await Storage.WriteStateAsync(StateName, grainId, state);
        Assert.Equal("1", state.ETag);
        await Storage.WriteStateAsync(StateName, grainId, state);
        Assert.Equal("2", state.ETag);
    }

    [Fact]
    public async Task ReadState_NoRow_GivesDefaultStateWithoutETag()
    {
        var read = new GrainState<List<int>>();

        await Storage.ReadStateAsync(StateName, NewGrainId(), read);

        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);
        Assert.Empty(read.State!);
    }

    [Fact]
    public async Task ClearState_ThenWrite_ContinuesTheVersion_StaleClearIsRejected()
    {
        var grainId = NewGrainId();
        var state = new GrainState<List<int>>([5]);
        await Storage.WriteStateAsync(StateName, grainId, state);
        var stale = new GrainState<List<int>>([5]) { ETag = state.ETag, RecordExists = true };
        await Storage.WriteStateAsync(StateName, grainId, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, grainId, stale));
        await Storage.ClearStateAsync(StateName, grainId, state);
        Assert.Equal("3", state.ETag);
        Assert.False(state.RecordExists);

        var read = new GrainState<List<int>>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.False(read.RecordExists);
        Assert.Equal("3", read.ETag);

        state.State = [7];
        await Storage.WriteStateAsync(StateName, grainId, state);
        Assert.Equal("4", state.ETag);
    }

    [Fact]
    public async Task WriteState_LongStringKeyAndGuidKeys_AreKeptApart()
    {
        var longKey = GrainId.Create("cst-storage-test", new string('k', 400));
        var guid = Guid.NewGuid();
        var plain = GrainId.Create(GrainType.Create("cst-storage-test"), GrainIdKeyExtensions.CreateGuidKey(guid));
        var extended = GrainId.Create(GrainType.Create("cst-storage-test"), GrainIdKeyExtensions.CreateGuidKey(guid, "ext"));

        await Storage.WriteStateAsync(StateName, longKey, new GrainState<List<int>>([1]));
        await Storage.WriteStateAsync(StateName, plain, new GrainState<List<int>>([2]));
        await Storage.WriteStateAsync(StateName, extended, new GrainState<List<int>>([3]));

        foreach (var (grainId, expected) in new[] { (longKey, 1), (plain, 2), (extended, 3) })
        {
            var read = new GrainState<List<int>>();
            await Storage.ReadStateAsync(StateName, grainId, read);
            Assert.Equal([expected], read.State);
        }
    }

    // Not a Guid in text form: the provider would store such a key as a Guid, not as a string.
    private static GrainId NewGrainId() => GrainId.Create("cst-storage-test", "s-" + Guid.NewGuid().ToString("N"));

    private static async Task<bool> Outcome(Task write)
    {
        try
        {
            await write;
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    private async Task<long> CountRowsAsync(GrainId grainId)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_storage WHERE grain_id_extension = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.Key.ToString() });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
