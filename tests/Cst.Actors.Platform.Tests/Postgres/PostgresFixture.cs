using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cst.Actors.Silo.Database;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cst.Actors.Platform.Tests.Postgres;

/// <summary>
/// A real PostgreSQL for integration tests. Use:
/// <code>
/// [Collection(PostgresCollection.Name)]
/// public sealed class MyTests(PostgresFixture postgres) : IAsyncLifetime
/// {
///     private string _connectionString = "";
///     public async Task InitializeAsync() => _connectionString = await postgres.CreateDatabaseAsync();
///     public Task DisposeAsync() => Task.CompletedTask;
/// }
/// </code>
/// <see cref="CreateDatabaseAsync"/> returns a new, empty-but-migrated database (all of <c>sql/</c> applied, copied
/// from a template) each time it is called: one per test class, or per test when tests must not see each other.
/// One throwaway server (via <see cref="LocalPostgres"/>, non-durable, free port, temp directory) serves the whole
/// test run: it is shared by every fixture instance and stopped, and its directory removed, when the last one is
/// disposed, or at process exit. Servers left behind by a killed test run are stopped by the next run.
/// Tests in one xunit collection run one after another; a project needing parallelism can declare further
/// collections with <c>ICollectionFixture&lt;PostgresFixture&gt;</c>: they share the same server.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public Task InitializeAsync() => SharedServer.AcquireAsync();

    public Task DisposeAsync() => SharedServer.ReleaseAsync();

    /// <summary>Connection string (superuser) to a fresh database holding all of <c>sql/</c>.</summary>
    public Task<string> CreateDatabaseAsync() => SharedServer.CreateDatabaseAsync(migrated: true);

    /// <summary>Connection string (superuser) to a fresh database with nothing applied, e.g. to test the migrator.</summary>
    public Task<string> CreateEmptyDatabaseAsync() => SharedServer.CreateDatabaseAsync(migrated: false);

    /// <summary>The <c>sql/</c> folder the template was built from (copied beside the test binaries).</summary>
    public static string SqlDirectory => SharedServer.FindSqlDirectory();

    /// <summary>The process-wide server behind every fixture instance.</summary>
    private static class SharedServer
    {
        private const string TemplateDatabase = "cst_template";
        private const string DirectoryPrefix = "cst-pgtest-";
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static LocalPostgres? _server;
        private static string? _root;
        private static int _users;
        private static bool _exitHookInstalled;

        public static async Task AcquireAsync()
        {
            await Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_server is null)
                {
                    await StartAsync().ConfigureAwait(false);
                }

                _users++;
            }
            finally
            {
                Gate.Release();
            }
        }

        public static async Task ReleaseAsync()
        {
            await Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                _users--;
                if (_users == 0)
                {
                    await StopAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                Gate.Release();
            }
        }

        public static async Task<string> CreateDatabaseAsync(bool migrated)
        {
            // Serialised: CREATE DATABASE copies the template and refuses while another copy holds it.
            await Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var server = _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialised.");
                var name = "t_" + Guid.NewGuid().ToString("N")[..16];
                var template = migrated ? TemplateDatabase : "template0";
                await ExecuteAsync(AdminConnectionString(server, "postgres"), $"CREATE DATABASE {name} TEMPLATE {template}").ConfigureAwait(false);
                return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
            }
            finally
            {
                Gate.Release();
            }
        }

        public static string FindSqlDirectory()
        {
            var beside = Path.Combine(AppContext.BaseDirectory, "sql");
            if (Directory.Exists(beside))
            {
                return beside;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "sql");
                if (Directory.Exists(Path.Combine(candidate, "orleans")))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("The sql/ folder was found neither beside the tests nor above them.");
        }

        private static async Task StartAsync()
        {
            var logger = NullLogger.Instance;
            await RemoveLeftoversAsync(logger).ConfigureAwait(false);

            _root = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            Directory.CreateDirectory(_root);
            InstallExitHook();

            // A free port can be taken by someone else before the server binds it: try a few.
            for (var attempt = 1; ; attempt++)
            {
                var server = LocalPostgres.Create(
                    new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), TemplateDatabase, Durable: false), logger);
                try
                {
                    await server.StartAsync(CancellationToken.None).ConfigureAwait(false);
                    _server = server;
                    break;
                }
                catch (LocalPostgresException) when (attempt < 3)
                {
                    await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            await new SchemaMigrator(_server.ConnectionString, FindSqlDirectory(), logger)
                .ApplyAsync(CancellationToken.None).ConfigureAwait(false);

            // Nobody connects to the template by mistake (a connection would block every copy).
            await ExecuteAsync(
                AdminConnectionString(_server, "postgres"),
                $"ALTER DATABASE {TemplateDatabase} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false").ConfigureAwait(false);
        }

        private static async Task StopAsync()
        {
            NpgsqlConnection.ClearAllPools();
            if (_server is not null)
            {
                await _server.StopAsync(CancellationToken.None).ConfigureAwait(false);
                _server = null;
            }

            if (_root is not null)
            {
                Directory.Delete(_root, recursive: true);
                _root = null;
            }
        }

        private static void InstallExitHook()
        {
            if (_exitHookInstalled)
            {
                return;
            }

            _exitHookInstalled = true;

            // Safety net when the runner exits without disposing the fixtures.
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    StopAsync().Wait(TimeSpan.FromSeconds(20));
                }
                catch (AggregateException)
                {
                    // Exiting anyway; the next run removes what is left.
                }
            };
        }

        /// <summary>Stops servers and removes directories of earlier runs whose process is gone (killed runs).</summary>
        private static async Task RemoveLeftoversAsync(ILogger logger)
        {
            foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
            {
                var pidText = Path.GetFileName(dir)[DirectoryPrefix.Length..].Split('-')[0];
                if (!int.TryParse(pidText, out var pid) || IsAlive(pid))
                {
                    continue;
                }

                try
                {
                    var data = Path.Combine(dir, "data");
                    if (File.Exists(Path.Combine(data, "postmaster.pid")))
                    {
                        await LocalPostgres.Create(new LocalPostgresSettings(data, 1), logger)
                            .StopAsync(CancellationToken.None).ConfigureAwait(false);
                    }

                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or LocalPostgresException)
                {
                    // Someone else's leftovers, or half removed: not ours to insist on.
                }
            }
        }

        private static bool IsAlive(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        private static string AdminConnectionString(LocalPostgres server, string database) =>
            new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, Pooling = false }.ConnectionString;

        private static async Task ExecuteAsync(string connectionString, string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

/// <summary>The xunit collection sharing <see cref="PostgresFixture"/>: <c>[Collection(PostgresCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
