using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cst.Actors.Silo.Database;

/// <summary>A script cannot be applied, or the database disagrees with the scripts on disk.</summary>
public sealed class SchemaMigrationException : Exception
{
    public SchemaMigrationException(string message)
        : base(message)
    {
    }

    public SchemaMigrationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Applies the scripts of <c>sql/</c> that the database has not seen: first <c>orleans/*.sql</c>, then
/// <c>schema/*.sql</c>, each in file-name order. Every script runs in its own transaction together with the row that
/// records it in <c>cst_schema_version</c>, so a failed script leaves nothing behind and is retried on the next run.
/// A recorded script whose content changed is an error: fix it with a new script, never by editing an applied one.
/// Scripts therefore must not contain transaction control or statements that cannot run in a transaction
/// (e.g. <c>CREATE INDEX CONCURRENTLY</c>).
/// </summary>
public sealed class SchemaMigrator
{
    /// <summary>Folders applied, in this order.</summary>
    public static readonly IReadOnlyList<string> Folders = ["orleans", "schema"];

    // pg_advisory_lock key shared by every silo and the migrate verb: arbitrary, fixed for ever ("cstschem").
    private const long LockKey = 0x6373747363686D;

    private readonly string _connectionString;
    private readonly string _sqlDirectory;
    private readonly ILogger _logger;

    public SchemaMigrator(string connectionString, string sqlDirectory, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(sqlDirectory);
        ArgumentNullException.ThrowIfNull(logger);
        _connectionString = connectionString;
        _sqlDirectory = sqlDirectory;
        _logger = logger;
    }

    /// <summary>Applies what is missing and returns the versions applied (e.g. <c>orleans/01-main.sql</c>), in order.</summary>
    /// <exception cref="SchemaMigrationException">A script failed, changed after being applied, or the folder is missing.</exception>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken ct)
    {
        var scripts = ReadScripts();

        // Never pooled: a migration connection left idle in a pool would hold the session lock's server process and
        // keep e.g. a template database busy.
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false, CommandTimeout = 600 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new SchemaMigrationException($"Could not connect to the database to apply the schema: {e.Message}", e);
        }

        // Silos starting together queue here; the later ones find everything recorded and apply nothing.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({LockKey})", ct).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(
                connection,
                null,
                """
                CREATE TABLE IF NOT EXISTS cst_schema_version (
                    version    text        PRIMARY KEY,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                ct).ConfigureAwait(false);

            var recorded = await ReadRecordedAsync(connection, ct).ConfigureAwait(false);
            foreach (var script in scripts)
            {
                if (recorded.TryGetValue(script.Version, out var checksum) && checksum != script.Checksum)
                {
                    throw new SchemaMigrationException(
                        $"The script {script.Path} was changed after it was applied to this database "
                        + $"(recorded checksum {checksum}, file {script.Checksum}); restore it and put the change in a new script.");
                }
            }

            foreach (var version in recorded.Keys.Except(scripts.Select(s => s.Version)))
            {
                _logger.LogWarning("Schema version {Version} is recorded in the database but has no script in {Directory}", version, _sqlDirectory);
            }

            var applied = new List<string>();
            foreach (var script in scripts.Where(s => !recorded.ContainsKey(s.Version)))
            {
                await ApplyScriptAsync(connection, script, ct).ConfigureAwait(false);
                applied.Add(script.Version);
            }

            if (applied.Count > 0)
            {
                _logger.LogInformation("Applied {Count} schema script(s): {Versions}", applied.Count, string.Join(", ", applied));
            }

            return applied;
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyScriptAsync(NpgsqlConnection connection, Script script, CancellationToken ct)
    {
        _logger.LogInformation("Applying schema script {Version}", script.Version);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, transaction, script.Text, ct).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            // Npgsql runs the script statement by statement: name the one that failed.
            var statement = e.BatchCommand?.CommandText.Trim() ?? string.Empty;
            var excerpt = statement.Length > 160 ? statement[..160] + "..." : statement;
            throw new SchemaMigrationException(
                $"The script {script.Path} failed: {e.MessageText} ({e.SqlState}) in statement: {excerpt}", e);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO cst_schema_version (version, checksum) VALUES ($1, $2)", connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Checksum });
            await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, string>> ReadRecordedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM cst_schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            recorded[reader.GetString(0)] = reader.GetString(1);
        }

        return recorded;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private List<Script> ReadScripts()
    {
        if (!Directory.Exists(_sqlDirectory))
        {
            throw new SchemaMigrationException($"The SQL script folder {_sqlDirectory} does not exist.");
        }

        var scripts = new List<Script>();
        foreach (var folder in Folders)
        {
            var dir = Path.Combine(_sqlDirectory, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(dir, "*.sql").Order(StringComparer.Ordinal))
            {
                // Line endings normalised so a checkout on another system does not look like a changed script.
                var text = File.ReadAllText(path, Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal);
                var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
                scripts.Add(new Script(folder + "/" + Path.GetFileName(path), path, text, checksum));
            }
        }

        if (scripts.Count == 0)
        {
            throw new SchemaMigrationException($"The SQL script folder {_sqlDirectory} holds no scripts under {string.Join(" or ", Folders)}/.");
        }

        return scripts;
    }

    private sealed record Script(string Version, string Path, string Text, string Checksum);
}
