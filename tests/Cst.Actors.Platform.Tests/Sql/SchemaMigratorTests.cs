using Cst.Actors.Platform.Tests.Postgres;
using Cst.Actors.Silo.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cst.Actors.Platform.Tests.Sql;

[Collection(PostgresCollection.Name)]
public sealed class SchemaMigratorTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ApplyAsync_EmptyDatabase_AppliesEveryScriptInOrder()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();

        var applied = await new SchemaMigrator(connectionString, PostgresFixture.SqlDirectory, NullLogger.Instance)
            .ApplyAsync(CancellationToken.None);

        var expected = SchemaMigrator.Folders
            .Where(folder => Directory.Exists(Path.Combine(PostgresFixture.SqlDirectory, folder)))
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(PostgresFixture.SqlDirectory, folder), "*.sql")
                .Select(Path.GetFileName)
                .Order(StringComparer.Ordinal)
                .Select(name => folder + "/" + name))
            .ToList();
        Assert.Equal(expected, applied);
        Assert.StartsWith("orleans/01-", applied[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_SecondRun_AppliesNothingAndLeavesVersionsUnchanged()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        var migrator = new SchemaMigrator(connectionString, PostgresFixture.SqlDirectory, NullLogger.Instance);
        await migrator.ApplyAsync(CancellationToken.None);
        var before = await ReadVersionsAsync(connectionString);

        var second = await migrator.ApplyAsync(CancellationToken.None);

        Assert.Empty(second);
        Assert.Equal(before, await ReadVersionsAsync(connectionString));
    }

    [Fact]
    public async Task ApplyAsync_TemplateDatabase_IsAlreadyUpToDate()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        var applied = await new SchemaMigrator(connectionString, PostgresFixture.SqlDirectory, NullLogger.Instance)
            .ApplyAsync(CancellationToken.None);

        Assert.Empty(applied);
    }

    [Fact]
    public async Task ApplyAsync_AppliedScriptChanged_IsRefusedNamingTheFile()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var copy = CopySqlDirectory();
        try
        {
            var changed = Path.Combine(copy, "orleans", "01-main.sql");
            await File.AppendAllTextAsync(changed, "\n-- edited after it was applied\n");
            var before = await ReadVersionsAsync(connectionString);

            var error = await Assert.ThrowsAsync<SchemaMigrationException>(
                () => new SchemaMigrator(connectionString, copy, NullLogger.Instance).ApplyAsync(CancellationToken.None));

            Assert.Contains("01-main.sql", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, await ReadVersionsAsync(connectionString));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task ApplyAsync_FailingScript_LeavesNothingOfItAndNamesIt()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var copy = CopySqlDirectory();
        try
        {
            await File.WriteAllTextAsync(
                Path.Combine(copy, "schema", "9999_broken.sql"),
                "CREATE TABLE half_done (id int);\nSELECT no_such_column FROM half_done;\n");

            var error = await Assert.ThrowsAsync<SchemaMigrationException>(
                () => new SchemaMigrator(connectionString, copy, NullLogger.Instance).ApplyAsync(CancellationToken.None));

            Assert.Contains("9999_broken.sql", error.Message, StringComparison.Ordinal);
            Assert.Equal(0L, await ScalarAsync(connectionString, "SELECT count(*) FROM pg_class WHERE relname = 'half_done'"));
            Assert.Equal(0L, await ScalarAsync(connectionString, "SELECT count(*) FROM cst_schema_version WHERE version = 'schema/9999_broken.sql'"));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task ApplyAsync_ConcurrentMigrators_ApplyEachScriptOnce()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            new SchemaMigrator(connectionString, PostgresFixture.SqlDirectory, NullLogger.Instance).ApplyAsync(CancellationToken.None)));

        var all = runs.SelectMany(run => run).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
        Assert.Equal(all.Count, (await ReadVersionsAsync(connectionString)).Count);
    }

    private static string CopySqlDirectory()
    {
        var copy = Path.Combine(Path.GetTempPath(), "cst-sql-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var file in Directory.EnumerateFiles(PostgresFixture.SqlDirectory, "*.sql", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(PostgresFixture.SqlDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Directory.CreateDirectory(Path.Combine(copy, "schema"));
        return copy;
    }

    private static async Task<List<(string Version, string Checksum, DateTime AppliedAt)>> ReadVersionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version, checksum, applied_at FROM cst_schema_version ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, DateTime)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetDateTime(2)));
        }

        return rows;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
