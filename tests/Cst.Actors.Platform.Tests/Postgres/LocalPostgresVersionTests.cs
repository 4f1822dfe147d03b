using Cst.Actors.Silo.Database;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cst.Actors.Platform.Tests.Postgres;

/// <summary>A data directory of another PostgreSQL major version is refused with the upgrade to run.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalPostgresVersionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cst-lpgver-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_DataDirectoryOfAnotherMajorVersion_IsRefusedWithThePgUpgradeCommand()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "PG_VERSION"), "9.6\n");
        await File.WriteAllTextAsync(Path.Combine(data, "kept"), "untouched");

        var server = LocalPostgres.Create(new LocalPostgresSettings(data, 1, "cst", Durable: false), NullLogger.Instance);
        var error = await Assert.ThrowsAsync<LocalPostgresException>(() => server.StartAsync(CancellationToken.None));

        var programs = LocalPostgres.ProgramDirectory()!;
        Assert.Contains("created by PostgreSQL 9.6", error.Message, StringComparison.Ordinal);
        Assert.Contains($"mv {data} {data}.pg9.6", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{programs}/pg_upgrade -b /usr/lib/postgresql/9.6/bin -B {programs} -d {data}.pg9.6 -D {data}", error.Message, StringComparison.Ordinal);
        Assert.Equal(["PG_VERSION", "kept"], Directory.GetFiles(data).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
