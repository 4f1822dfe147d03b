using System.Diagnostics;
using Xunit.Abstractions;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary>
/// deploy/cst-silo.service and the nightly backup (cst-backup.service, .timer and the script they run): what a
/// sysadmin installs, checked by systemd's own verifier when it is present.
/// </summary>
public sealed class SystemdUnitTests(ITestOutputHelper output)
{
    private static string UnitFile => Path.Combine(RepositoryRoot(), "deploy", "cst-silo.service");

    private static string Deploy(string name) => Path.Combine(RepositoryRoot(), "deploy", name);

    [Fact]
    public void Unit_IsANotifyServiceOfItsOwnUser_RestartedOnFailure_WithABoundedStop()
    {
        var lines = File.ReadAllLines(UnitFile).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var wanted in new[]
                 {
                     "Type=notify", "User=cst", "StateDirectory=cst", "Restart=on-failure", "TimeoutStopSec=90",
                     "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                 })
        {
            Assert.Contains(wanted, lines);
        }

        // The stop the silo bounds itself to (host timeout, then PostgreSQL's fast stop) fits inside systemd's.
        Assert.True(Cst.Actors.Silo.Hosting.SiloShutdown.HostTimeout < TimeSpan.FromSeconds(90) / 2);
        Assert.DoesNotContain(lines, l => l.StartsWith("ExecStart=", StringComparison.Ordinal) && l.Contains("Password", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Unit_PassesSystemdAnalyzeVerify()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            // Not a failure: the check needs systemd's tools, which a container may lack.
            output.WriteLine("systemd-analyze is not installed: the unit file was not verified");
            return;
        }

        // The installed paths (/opt/cst-actors) replaced by the built program and the repository's backup script,
        // which systemd-analyze requires to exist.
        var directory = Directory.CreateTempSubdirectory("cst-unit-");
        try
        {
            var program = AppContext.BaseDirectory.TrimEnd('/');
            string[] units = ["cst-silo.service", "cst-backup.service", "cst-backup.timer"];
            foreach (var name in units)
            {
                var text = (await File.ReadAllTextAsync(Deploy(name)))
                    .Replace("/opt/cst-actors/cst-backup", Deploy("cst-backup"), StringComparison.Ordinal)
                    .Replace("/opt/cst-actors", program, StringComparison.Ordinal);
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, name), text);
            }

            var (exitCode, said) = await RunAsync(analyze, ["verify", .. units.Select(u => Path.Combine(directory.FullName, u))], directory.FullName, []);

            // Lines about other units of this host (not ours) are not the units' fault.
            var ours = said.Split('\n').Where(l => l.Contains("cst-", StringComparison.Ordinal)).ToList();
            Assert.True(exitCode == 0 && ours.Count == 0, $"systemd-analyze verify: exit {exitCode}\n{said}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void BackupTimer_StartsTheBackupServiceNightly_AsTheSilosUser()
    {
        var timer = File.ReadAllLines(Deploy("cst-backup.timer")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("OnCalendar=*-*-* 02:30:00", timer);
        Assert.Contains("Persistent=true", timer);
        Assert.Contains("Unit=cst-backup.service", timer);
        Assert.Contains("WantedBy=timers.target", timer);
        var service = File.ReadAllLines(Deploy("cst-backup.service")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var wanted in new[] { "Type=oneshot", "User=cst", "StateDirectory=cst", "ExecStart=/opt/cst-actors/cst-backup --data-dir /var/lib/cst/postgres", "ProtectSystem=strict" })
        {
            Assert.Contains(wanted, service);
        }
    }

    [Fact]
    public async Task BackupScript_WritesADatedBackup_AndRemovesOnlyItsOwnOlderThanTheRetention()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var directory = Directory.CreateTempSubdirectory("cst-backup-");
        try
        {
            // A stand-in for cst-silo that writes what "backup --out FILE" would, and records its arguments.
            var programs = Directory.CreateDirectory(Path.Combine(directory.FullName, "opt"));
            var fake = Path.Combine(programs.FullName, "cst-silo");
            await File.WriteAllTextAsync(fake, "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/args\"\nwhile [ \"$1\" != --out ]; do shift; done\nprintf dump > \"$2\"\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var backups = Directory.CreateDirectory(Path.Combine(directory.FullName, "backups")).FullName;
            var old = Path.Combine(backups, "cst-20261001T023000Z.dump");
            var recent = Path.Combine(backups, "cst-20261125T023000Z.dump");
            var notOurs = Path.Combine(backups, "notes.txt");
            foreach (var (file, age) in new[] { (old, 20), (recent, 5), (notOurs, 60) })
            {
                await File.WriteAllTextAsync(file, "x");
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-age));
            }

            var (exitCode, said) = await RunAsync(Deploy("cst-backup"), ["--data-dir", "/var/lib/cst/postgres"], directory.FullName, new()
            {
                ["CST_PROGRAM_DIR"] = programs.FullName,
                ["BACKUP_DIR"] = backups,
                ["BACKUP_KEEP_DAYS"] = "14",
            });

            Assert.True(exitCode == 0, said);
            var written = Assert.Single(Directory.GetFiles(backups, "cst-*.dump"), f => f != recent);
            Assert.Matches(@"cst-\d{8}T\d{6}Z\.dump$", written);
            Assert.False(File.Exists(old), $"the backup older than 14 days is still there: {said}");
            Assert.True(File.Exists(recent) && File.Exists(notOurs));
            Assert.Equal($"backup --data-dir /var/lib/cst/postgres --out {written}", (await File.ReadAllTextAsync(Path.Combine(programs.FullName, "args"))).Trim());
            Assert.Contains("removed old backup " + old, said, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cst.Actors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Cst.Actors.sln above {AppContext.BaseDirectory}");
    }
}
