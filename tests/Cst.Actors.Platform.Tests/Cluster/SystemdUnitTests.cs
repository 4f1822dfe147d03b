using System.Diagnostics;
using Xunit.Abstractions;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary>deploy/cst-silo.service: what a sysadmin installs, checked by systemd's own verifier when it is present.</summary>
public sealed class SystemdUnitTests(ITestOutputHelper output)
{
    private static string UnitFile => Path.Combine(RepositoryRoot(), "deploy", "cst-silo.service");

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

        // The installed paths (/opt/cst-actors) replaced by the built program, which systemd-analyze requires to exist.
        var directory = Directory.CreateTempSubdirectory("cst-unit-");
        try
        {
            var unit = Path.Combine(directory.FullName, "cst-silo.service");
            var program = AppContext.BaseDirectory.TrimEnd('/');
            await File.WriteAllTextAsync(unit, (await File.ReadAllTextAsync(UnitFile)).Replace("/opt/cst-actors", program, StringComparison.Ordinal));
            var info = new ProcessStartInfo(analyze, ["verify", unit])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory.FullName,
            };
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(bound.Token);
            var said = (await stdout + await stderr).Trim();

            // Lines about other units of this host (not ours) are not the unit's fault.
            var ours = said.Split('\n').Where(l => l.Contains("cst-silo", StringComparison.Ordinal)).ToList();
            Assert.True(process.ExitCode == 0 && ours.Count == 0, $"systemd-analyze verify: exit {process.ExitCode}\n{said}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
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
