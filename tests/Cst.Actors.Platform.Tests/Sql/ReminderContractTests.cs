using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace Cst.Actors.Platform.Tests.Sql;

/// <summary>Orleans' ADO.NET reminder table (as wired by UseCstPostgres) against our sql/orleans/04-reminders.sql.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ReminderContractTests(PostgresClusterFixture fixture)
{
    private IReminderTable Table => fixture.SiloServices(0).GetRequiredService<IReminderTable>();

    [Fact]
    public async Task UpsertRow_GrainIdLongerThan150Characters_IsStoredAndReadBack()
    {
        var grainId = GrainId.Create("cst-reminder-test", new string('r', 400));
        Assert.True(grainId.ToString().Length > 150);
        var start = new DateTime(2030, 5, 6, 7, 8, 9, DateTimeKind.Utc);

        var etag = await Table.UpsertRow(Entry(grainId, "renewal", start, TimeSpan.FromDays(365)));

        var read = await Table.ReadRow(grainId, "renewal");
        Assert.NotNull(read);
        Assert.Equal(grainId, read.GrainId);
        Assert.Equal(start, read.StartAt);
        Assert.Equal(TimeSpan.FromDays(365), read.Period);
        Assert.Equal(etag, read.ETag);
        Assert.Single((await Table.ReadRows(grainId)).Reminders);
    }

    [Fact]
    public async Task UpsertRow_Again_IncrementsTheETag_StaleRemoveIsRefused()
    {
        var grainId = NewGrainId("etag");
        var first = await Table.UpsertRow(Entry(grainId, "deadline", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        var second = await Table.UpsertRow(Entry(grainId, "deadline", DateTime.UtcNow, TimeSpan.FromMinutes(2)));
        Assert.NotEqual(first, second);

        Assert.False(await Table.RemoveRow(grainId, "deadline", first!));
        Assert.NotNull(await Table.ReadRow(grainId, "deadline"));

        Assert.True(await Table.RemoveRow(grainId, "deadline", second!));
        Assert.Null(await Table.ReadRow(grainId, "deadline"));
    }

    [Fact]
    public async Task UpsertRow_PeriodBeyondInt32Milliseconds_RoundTrips()
    {
        var grainId = NewGrainId("period");
        var period = TimeSpan.FromDays(365 * 3);

        await Table.UpsertRow(Entry(grainId, "firma-expiry", DateTime.UtcNow, period));

        Assert.Equal(period, (await Table.ReadRow(grainId, "firma-expiry"))!.Period);
    }

    [Fact]
    public async Task ReadRows_HashRanges_IncludingWrapAroundAndFullRing_MatchTheRing()
    {
        var prefix = "range-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var grains = Enumerable.Range(0, 64).Select(i => GrainId.Create("cst-reminder-test", prefix + i)).ToList();
        await Task.WhenAll(grains.Select(grain => Table.UpsertRow(Entry(grain, "r", DateTime.UtcNow, TimeSpan.FromMinutes(1)))));
        var hashes = grains.Select(grain => grain.GetUniformHashCode()).Order().ToArray();

        (uint Begin, uint End)[] ranges =
        [
            (hashes[10], hashes[40]),                 // ordinary range
            (hashes[10], hashes[10] + 1),             // nearly empty
            (0x70000000u, 0x90000000u),               // crosses the signed-integer boundary
            (hashes[50], hashes[5]),                  // wraps past the top of the ring
            (0xF0000000u, 0x10000000u),               // wraps around zero
            (hashes[20], hashes[20]),                 // begin = end: the whole ring
            (0u, uint.MaxValue),                      // everything but hash 0
        ];

        foreach (var (begin, end) in ranges)
        {
            var expected = grains.Where(grain => InRing(grain.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order().ToList();

            var actual = (await Table.ReadRows(begin, end)).Reminders
                .Select(reminder => reminder.GrainId.ToString())
                .Where(id => id.Contains(prefix, StringComparison.Ordinal))
                .Order()
                .ToList();

            Assert.True(expected.SequenceEqual(actual), $"range ({begin:X8}, {end:X8}]: expected {expected.Count} reminders, read {actual.Count}");
        }
    }

    [Theory]
    [InlineData("ReadRangeRows1Key", -100, 100)]
    [InlineData("ReadRangeRows2Key", 100, -100)]
    public async Task RangeQueries_CanUseTheHashIndex(string queryKey, int begin, int end)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        string query;
        await using (var read = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = $1", connection))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = queryKey });
            query = (string)(await read.ExecuteScalarAsync())!;
        }

        // The test table is too small for the planner to prefer the index on its own: forbid sequential scans to see
        // whether the query can use it at all.
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + query.Trim().TrimEnd(';'), connection);
        explain.Parameters.AddWithValue("ServiceId", PostgresClusterFixture.ServiceId);
        explain.Parameters.AddWithValue("BeginHash", begin);
        explain.Parameters.AddWithValue("EndHash", end);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("orleans_reminders_hash_ix", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
    }

    // The ring range (begin, end] in unsigned hash space; begin = end is the whole ring.
    private static bool InRing(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static GrainId NewGrainId(string tag) =>
        GrainId.Create("cst-reminder-test", tag + "-" + Guid.NewGuid().ToString("N"));

    private static ReminderEntry Entry(GrainId grainId, string name, DateTime start, TimeSpan period) =>
        new() { GrainId = grainId, ReminderName = name, StartAt = start, Period = period };
}
