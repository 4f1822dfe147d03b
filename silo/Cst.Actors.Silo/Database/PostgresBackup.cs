using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cst.Actors.Silo.Database;

/// <summary>
/// <c>cst-silo backup</c> and <c>restore</c>: pg_dump and pg_restore of the cluster's database (membership, grain
/// state, reminders, billing tables, notices, audit) in PostgreSQL's custom format. pg_dump reads one snapshot, so
/// a backup taken while silos run is consistent. The password reaches the programs through a 0600 password file
/// named by PGPASSFILE, never on their command line.
/// </summary>
public sealed class PostgresBackup(string connectionString, string binDirectory, ILogger logger)
{
    /// <summary>Writes the backup to <paramref name="file"/> (mode 0600); refuses an existing file.</summary>
    public async Task BackupAsync(string file, CancellationToken ct)
    {
        var target = Path.GetFullPath(file);
        if (File.Exists(target))
        {
            throw new LocalPostgresException($"The backup file {target} already exists; choose a new name (nothing was written).");
        }

        var partial = target + ".partial";
        // Created private first: it holds every ente's data; pg_dump writes into it without changing its mode.
        await using (new FileStream(partial, PrivateFile(FileMode.Create)))
        {
        }

        try
        {
            var started = Stopwatch.StartNew();
            await RunAsync("pg_dump", ["--format=custom", "--file=" + partial], ct).ConfigureAwait(false);
            File.Move(partial, target);
            logger.LogInformation("Backup of {Database} written to {File} ({Bytes} bytes) in {Seconds:F1} s",
                Describe(), target, new FileInfo(target).Length, started.Elapsed.TotalSeconds);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Restores <paramref name="file"/> into the database, which must hold no table yet.</summary>
    public async Task RestoreAsync(string file, CancellationToken ct)
    {
        var source = Path.GetFullPath(file);
        if (!File.Exists(source))
        {
            throw new LocalPostgresException($"The backup file {source} does not exist.");
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')", connection);
            if ((long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))! > 0)
            {
                throw new LocalPostgresException(
                    $"The database {Describe()} already holds tables; restore into a new, empty database (CREATE DATABASE, or a new "
                    + "--data-dir for the embedded PostgreSQL) and point the silos at it. Nothing was changed.");
            }
        }

        var started = Stopwatch.StartNew();
        // One transaction: a restore that fails half-way leaves the database empty, not half-filled.
        await RunAsync("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", source], ct).ConfigureAwait(false);
        logger.LogInformation("Backup {File} restored into {Database} in {Seconds:F1} s", source, Describe(), started.Elapsed.TotalSeconds);
    }

    private string Describe()
    {
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{parsed.Database} on {parsed.Host}:{parsed.Port}";
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        var passFile = Path.Combine(Path.GetTempPath(), $"cst-pgpass-{Guid.NewGuid():N}");
        try
        {
            var info = new ProcessStartInfo(Path.Combine(binDirectory, program))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = "/",
            };
            info.ArgumentList.Add("--host=" + parsed.Host);
            info.ArgumentList.Add("--port=" + parsed.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add("--username=" + parsed.Username);
            info.ArgumentList.Add("--dbname=" + parsed.Database);
            info.ArgumentList.Add("--no-password");
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            if (parsed.Password is { Length: > 0 } password)
            {
                await using (var stream = new FileStream(passFile, PrivateFile(FileMode.CreateNew)))
                await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
                {
                    await writer.WriteLineAsync($"*:*:*:*:{Escape(password)}").ConfigureAwait(false);
                }

                info.Environment["PGPASSFILE"] = passFile;
            }
            else if (parsed.Passfile is { Length: > 0 } given)
            {
                info.Environment["PGPASSFILE"] = given;
            }

            if (parsed.SslMode != SslMode.Prefer)
            {
                info.Environment["PGSSLMODE"] = parsed.SslMode.ToString().ToLowerInvariant() switch
                {
                    "verifyca" => "verify-ca",
                    "verifyfull" => "verify-full",
                    var mode => mode,
                };
            }

            info.Environment["LC_MESSAGES"] = "C";
            info.Environment["PGAPPNAME"] = "cst-silo " + program;
            var result = await LocalPostgres.RunAsync(info, ct).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new LocalPostgresException($"{program} of {Describe()} failed (exit {result.ExitCode}): {result.Output}");
            }
        }
        finally
        {
            File.Delete(passFile);
        }
    }

    /// <summary>Options creating a file readable by its owner only, never by others even for a moment.</summary>
    private static FileStreamOptions PrivateFile(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>A .pgpass field: backslash and colon are escaped with a backslash.</summary>
    private static string Escape(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace(":", @"\:", StringComparison.Ordinal);
}
