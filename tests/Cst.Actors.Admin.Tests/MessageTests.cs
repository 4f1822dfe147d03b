using System.Net;
using System.Net.Sockets;
using Cst.Actors.Admin.Commands;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Connection;
using Cst.Actors.Domain.Validation;
using Npgsql;

namespace Cst.Actors.Admin.Tests;

/// <summary>Messages that say what is wrong, about the path or the cluster the operator meant, in plain words.</summary>
[Collection(AdminCollection.Name)]
public sealed class MessageTests(AdminCluster cluster)
{
    private async Task<(int Code, string Out, string Err)> RunAsync(Func<CommandArgs, Task<AdminSession>> connect, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var mode = new CommandMode(output, error, progressToTerminal: false);
        var parsed = mode.Parse(args);
        var code = await mode.RunAsync(parsed, () => connect(parsed));
        return (code, output.ToString(), error.ToString());
    }

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        RunAsync(_ => Task.FromResult(cluster.Session()), args);

    /// <summary>Connects as the real console does, with the line's connection options.</summary>
    private static async Task<AdminSession> ConnectAsync(CommandArgs args, params (string Key, string Value)[] environment)
    {
        var settings = new Dictionary<string, string?>(args.ConfigurationOverrides());
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        var connection = await AdminConnection.ConnectAsync(AdminConnection.ReadConfiguration(settings), TimeSpan.FromSeconds(5));
        return new AdminSession(connection.Client, AdminCluster.Operator);
    }

    [Fact]
    public async Task Import_ADirectory_SaysItIsADirectory()
    {
        var (code, output, err) = await RunAsync("import", "/tmp");

        Assert.Equal((CommandMode.ExitUsage, string.Empty), (code, output));
        Assert.Equal("cst: /tmp is a directory, not a file", err.Trim());
    }

    [Fact]
    public async Task Import_BinaryFile_EchoesNothingThatDrivesTheTerminal()
    {
        // A line of a binary file: clear screen, set the window title, bell, NUL, right-to-left override.
        var file = Path.Combine(Path.GetTempPath(), $"binary-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(file, [.. "\u001b[2J\u001b]0;pwned\u0007codice;nome\n\u0000\u001b[31m028001\u202e;x\u0008\u0008y\n"u8]);
        try
        {
            var (code, output, err) = await RunAsync("import", file);

            Assert.NotEqual(0, code);
            Assert.False(string.IsNullOrWhiteSpace(output + err), "expected the refusal to be reported");
            var shown = (output + err).Replace("\n", string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(shown, Guard.IsUnsafe);

            // The same bytes as a listino: the cluster's refusal quotes the line it could not parse.
            File.Move(file, file = Path.ChangeExtension(file, ".yaml"));
            (code, output, err) = await RunAsync("listino", "load", file, "--act", "Delibera di prova");
            Assert.NotEqual(0, code);
            Assert.False(string.IsNullOrWhiteSpace(output + err), "expected the refusal to be reported");
            shown = (output + err).Replace("\n", string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(shown, Guard.IsUnsafe);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Export_OutUnderProc_NamesThePathInPlainWords()
    {
        await cluster.NewEnteAsync();
        var preview = await RunAsync("billing", "preview", "--year", "2026");
        Assert.True(preview.Code is 0 or 1, $"exit {preview.Code}: {preview.Err}");

        var (code, _, err) = await RunAsync("billing", "export", "--year", "2026", "--out", "/proc/nope");

        Assert.Equal(CommandMode.ExitUsage, code);
        Assert.StartsWith("cst: cannot write to /proc/nope: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);

        (code, _, err) = await RunAsync("listino", "impact", "cst-padova", "2020-10", "--year", "2026", "--format", "csv", "--out", "/proc/nope/impact.csv");
        Assert.True(code is CommandMode.ExitUsage or CommandMode.ExitFailed, $"exit {code}: {err}");
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
        if (code == CommandMode.ExitUsage)
        {
            Assert.StartsWith("cst: cannot write to /proc/nope/impact.csv: ", err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Connect_PasswordFileUnreadable_SaysSoAndDoesNotSayStartASilo()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"cst-data-{Guid.NewGuid():N}");
        // A password file that is there but cannot be read (as root, mode 0000 would still be read: a directory is not).
        Directory.CreateDirectory(dataDirectory + ".password");
        try
        {
            var (code, _, err) = await RunAsync(args => ConnectAsync(args), "ente", "list", "--data-dir", dataDirectory);

            Assert.Equal(CommandMode.ExitUnreachable, code);
            Assert.Equal($"cst: the embedded PostgreSQL's password file {dataDirectory}.password cannot be read (it is a directory): "
                + "run cst as the user that runs the silo (the file is readable by its owner only), or give --connection-string", err.Trim());
            Assert.DoesNotContain("dotnet run", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory + ".password");
        }
    }

    [Fact]
    public async Task Connect_GatewayAcceptsButClusterDoesNotAnswer_SaysTheClusterIsSlowNotThatNoSiloIsReachable()
    {
        // A live silo's gateway as a starved machine shows it: the port takes connections, nothing answers in time.
        using var gateway = new TcpListener(IPAddress.Loopback, 0);
        gateway.Start();
        var port = ((IPEndPoint)gateway.LocalEndpoint).Port;
        var clusterId = "slow-" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using (var version = new NpgsqlCommand("INSERT INTO orleans_membership_version (deployment_id) VALUES ($1)", connection))
            {
                version.Parameters.Add(new NpgsqlParameter { Value = clusterId });
                await version.ExecuteNonQueryAsync();
            }

            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
                VALUES ($1, '127.0.0.1', 1, 1, 'starved', 'localhost', 3, $2, now(), now())
                """, connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = clusterId });
            insert.Parameters.Add(new NpgsqlParameter { Value = port });
            await insert.ExecuteNonQueryAsync();
        }

        // The connection string carries the test cluster's password: given as the environment would give it, since a
        // password on the command line is refused.
        var (code, _, err) = await RunAsync(
            args => ConnectAsync(args, ("ConnectionStrings:" + CstConnectionSettings.ConnectionStringName, cluster.ConnectionString)),
            "ente", "list", "--cluster-id", clusterId);

        Assert.Equal(CommandMode.ExitUnreachable, code);
        Assert.StartsWith($"cst: the cluster is slow to answer: the gateway 127.0.0.1:{port} of a live silo accepts connections", err, StringComparison.Ordinal);
        Assert.DoesNotContain("no silo is reachable", err, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run", err, StringComparison.Ordinal);
    }
}
