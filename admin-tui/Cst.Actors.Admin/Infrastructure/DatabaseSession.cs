using Cst.Actors.Connection;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.ReadModels;
using NodaTime;
using Npgsql;

namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// The read-only commands of command mode (ente list, deadlines, notices, audit) answered from the database: the same
/// queries as the cluster's AdminQueryGrain (<see cref="AdminQueries"/>, one place for their SQL and checks), on the
/// console's own connection, without starting an Orleans client; so they answer in a fraction of a second, and while
/// the silos restart. An Orleans client is started only for what SQL cannot answer: an enti list row gone stale (a
/// day passed an object's start or end, or a new year), which its ente computes.
/// </summary>
/// <remarks>
/// Today's date is the console's clock (<see cref="SystemClock"/>, the date in Europe/Rome), not asked of the cluster.
/// The silo's grains read the same machine clock: cst runs on the silo's host (README: as the user cst), or on a host
/// of the same NTP-synchronised cluster, and a faketime'd silo needs a cst started under the same faketime to list the
/// same days. Asking the silo would cost the Orleans client this path exists to avoid, and PostgreSQL's now() would be
/// a third clock, not faked with the silo. Tests give the test cluster's fake clock (AdminCluster.Time).
/// </remarks>
public sealed class DatabaseSession : IEnteQuestions, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly Func<Task<IGrainFactory>> _cluster;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IGrainFactory? _grains;

    private DatabaseSession(NpgsqlDataSource dataSource, IClock clock, Func<Task<IGrainFactory>> cluster)
    {
        _dataSource = dataSource;
        _cluster = cluster;
        Queries = new AdminQueries(new PostgresAdminReadStore(dataSource), new PostgresReadModelReader(dataSource), clock, this);
    }

    /// <summary>The queries of <see cref="IAdminQueryGrain"/>, answered from the database.</summary>
    public IAdminQueryGrain Queries { get; }

    /// <summary>Whether an Orleans client had to be started (a stale row of the enti list).</summary>
    public bool AskedTheCluster => _grains is not null;

    /// <summary>
    /// Opens a connection to the database of <paramref name="connectionString"/> (the one the Orleans client would read
    /// the membership table from), or throws <see cref="CstConnectionException"/> with one sentence: exit 3, as when no
    /// silo is reachable. <paramref name="cluster"/> starts an Orleans client, only when one is needed.
    /// </summary>
    /// <param name="where">The database as the message names it (the embedded PostgreSQL, the configured database).</param>
    public static async Task<DatabaseSession> OpenAsync(string connectionString, IClock clock, Func<Task<IGrainFactory>> cluster, TimeSpan timeout,
        string where = "the configured database")
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        // UTC as the silo's sessions: timestamps (notices, audit) read as UTC instants. A one-command process: the slim
        // builder (only the built-in types and their arrays, what these queries bind and read) and no loading of the
        // database's type catalogue at the first connection, which cost most of opening it.
        var dataSource = new NpgsqlSlimDataSourceBuilder(ClientWiring.WithUtcSession(connectionString))
            .EnableArrays()
            .ConfigureTypeLoading(types => types.EnableTypeLoading(false))
            .Build();
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            // Opened now so that an unreachable database is told as such; the queries then reuse this pooled connection.
            await using (await dataSource.OpenConnectionAsync(cts.Token).ConfigureAwait(false))
            {
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException or IOException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            var why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message.Split('\n', 2)[0].Trim();
            throw new CstConnectionException($"{where} cannot be reached ({why})", e);
        }

        return new DatabaseSession(dataSource, clock, cluster);
    }

    Func<string, Task<bool>>? IEnteQuestions.Exists => null;

    async Task<EnteSummary> IEnteQuestions.SummaryAsync(string enteId, int year) =>
        await (await ClusterAsync().ConfigureAwait(false)).GetGrain<IEnteGrain>(enteId).GetSummaryAsync(year).ConfigureAwait(false);

    private async Task<IGrainFactory> ClusterAsync()
    {
        if (Volatile.Read(ref _grains) is { } started)
        {
            return started;
        }

        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            return _grains ??= await _cluster().ConfigureAwait(false);
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _connecting.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
