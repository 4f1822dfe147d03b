using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cst.Actors.Silo.Database;

/// <summary>Where the private server keeps its cluster and how it is reached.</summary>
/// <param name="DataDirectory">The cluster directory (PGDATA). Created when missing; must be empty or hold a cluster.</param>
/// <param name="Port">TCP port on 127.0.0.1.</param>
/// <param name="Database">Database created on first start and named in <see cref="LocalPostgres.ConnectionString"/>.</param>
/// <param name="Durable">
/// False only for throwaway servers (tests): no fsync, so a machine crash may lose or corrupt data.
/// </param>
public sealed record LocalPostgresSettings(string DataDirectory, int Port, string Database = "cst", bool Durable = true);

/// <summary>Base of the errors <see cref="LocalPostgres"/> reports; messages are meant for an operator.</summary>
public class LocalPostgresException : Exception
{
    public LocalPostgresException(string message)
        : base(message)
    {
    }

    public LocalPostgresException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The PostgreSQL server programs (initdb, pg_ctl, postgres) are not installed.</summary>
public sealed class PostgresBinariesMissingException : LocalPostgresException
{
    public PostgresBinariesMissingException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// A private PostgreSQL server run from the Debian binaries, for a single-host installation and for tests.
/// It listens on 127.0.0.1 only (no unix socket), requires a password (scram-sha-256) for every connection and keeps
/// the generated password in a 0600 file next to the cluster (<c>&lt;DataDirectory&gt;.password</c>).
/// When the process runs as root the server programs run as the <c>postgres</c> user, since PostgreSQL refuses root.
/// Several processes may use one data directory at once (a silo, then <c>cst-silo migrate</c> beside it, or two
/// silos on one host): each holds a shared lock on <c>&lt;DataDirectory&gt;.users</c> while it uses the server, and
/// <see cref="StopAsync"/> stops the server only when no other process holds it, so nobody stops a server another
/// process is using. Starting and stopping are serialised by <c>&lt;DataDirectory&gt;.lock</c>.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    /// <summary>The superuser created by initdb and used in <see cref="ConnectionString"/>.</summary>
    public const string SuperUser = "cst";

    private const string ServiceUser = "postgres";
    private static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(90);

    private readonly LocalPostgresSettings _settings;
    private readonly ILogger _logger;
    private readonly string _binDirectory;
    private readonly string? _runUser;
    private readonly string _dataDirectory;
    /// <summary>The logging settings of the server (see <see cref="StartServerAsync"/>).</summary>
    public static readonly IReadOnlyList<string> LogRotation =
    [
        "logging_collector=on",
        "log_directory=log",
        "log_filename=postgresql-%a.log",
        "log_truncate_on_rotation=on",
        "log_rotation_age=1d",
        "log_rotation_size=10MB",
    ];

    private string? _password;
    private bool _started;
    private ServerFileLock? _use;

    private LocalPostgres(LocalPostgresSettings settings, ILogger logger, string binDirectory, string? runUser)
    {
        _settings = settings;
        _logger = logger;
        _binDirectory = binDirectory;
        _runUser = runUser;
        _dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.DataDirectory));
    }

    /// <summary>True when the last <see cref="StartAsync"/> created the cluster (first start).</summary>
    public bool Initialised { get; private set; }

    /// <summary>Connection string to the settings' database on 127.0.0.1; available after <see cref="StartAsync"/>.</summary>
    public string ConnectionString => BuildConnectionString(_settings.Database);

    private string PasswordFile => Cst.Actors.Connection.CstConnectionSettings.PasswordFile(_dataDirectory);

    private string LogFile => Path.Combine(_dataDirectory, "postmaster.log");

    /// <summary>Held exclusively while a process starts or stops the server (and creates the cluster).</summary>
    private string TransitionLockFile => _dataDirectory + ".lock";

    /// <summary>Held shared by every process using the server, from its start until its stop.</summary>
    private string UsersLockFile => _dataDirectory + ".users";

    /// <summary>The directory of the newest PostgreSQL programs installed (pg_dump and pg_restore beside the server's), or null.</summary>
    public static string? ProgramDirectory() => FindBinDirectory();

    /// <summary>
    /// Refuses a data directory made by another major version than the server programs found: the server would not
    /// start on it. Says how to upgrade it with pg_upgrade, in the exact commands for this directory.
    /// </summary>
    private async Task CheckMajorVersionAsync(CancellationToken ct)
    {
        var versionFile = Path.Combine(_dataDirectory, "PG_VERSION");
        if (!File.Exists(versionFile))
        {
            return;
        }

        var data = (await File.ReadAllTextAsync(versionFile, ct).ConfigureAwait(false)).Trim();
        var result = await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["--version"], ct).ConfigureAwait(false);
        // "pg_ctl (PostgreSQL) 15.18 (Debian 15.18-1)": the major is the number before the first dot (9.6 before 10).
        var words = result.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var version = words.SkipWhile(w => w != "(PostgreSQL)").Skip(1).FirstOrDefault() ?? string.Empty;
        var parts = version.Split('.');
        var programs = parts.Length > 0 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var major) && major < 10 && parts.Length > 1
            ? $"{parts[0]}.{parts[1]}"
            : parts[0];
        if (programs.Length == 0 || programs == data)
        {
            return;
        }

        var d = _dataDirectory;
        var old = $"{d}.pg{data}";
        var oldBin = $"/usr/lib/postgresql/{data}/bin";
        var owner = _runUser is null ? "the user the silo runs as" : ServiceUser;
        throw new LocalPostgresException(
            $"The PostgreSQL cluster in {d} was created by PostgreSQL {data}, but the server programs found are PostgreSQL "
            + $"{programs} ({_binDirectory}), which cannot open it; nothing was started. Upgrade it once, with every silo on it "
            + $"stopped and the PostgreSQL {data} programs installed (apt-get install postgresql-{data}), as {owner}, in a "
            + $"directory that user can write (cd /tmp):{Environment.NewLine}"
            + $"  mv {d} {old} && {_binDirectory}/initdb -D {d} --username={SuperUser} --pwfile={PasswordFile} "
            + "--auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --locale=C --no-instructions"
            + $" && PGPASSWORD=\"$(cat {PasswordFile})\" {_binDirectory}/pg_upgrade -b {oldBin} -B {_binDirectory} -d {old} -D {d} -U {SuperUser}"
            + $" && sed -n '/^# Cst.Actors local server/,$p' {old}/postgresql.conf >> {d}/postgresql.conf{Environment.NewLine}"
            + $"then start the silo again; remove {old} once it runs. Or run the silo with the PostgreSQL {data} programs.");
    }

    /// <summary>Finds the server programs (newest version first) and checks that they can be run here.</summary>
    /// <exception cref="PostgresBinariesMissingException">initdb, pg_ctl or postgres is missing.</exception>
    /// <exception cref="LocalPostgresException">Running as root without a <c>postgres</c> user or <c>runuser</c>.</exception>
    public static LocalPostgres Create(LocalPostgresSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(settings.DataDirectory))
        {
            throw new LocalPostgresException("The PostgreSQL data directory is not set.");
        }

        if (settings.Port is <= 0 or > 65535)
        {
            throw new LocalPostgresException($"The PostgreSQL port {settings.Port} is not a valid TCP port.");
        }

        var binDirectory = FindBinDirectory()
            ?? throw new PostgresBinariesMissingException(
                "The PostgreSQL server programs (initdb, pg_ctl, postgres) were not found in /usr/lib/postgresql/<version>/bin "
                + "or on PATH; install them with: apt-get install postgresql");

        string? runUser = null;
        if (Environment.IsPrivilegedProcess)
        {
            // PostgreSQL refuses to run as root: the server programs run as the unprivileged account of Debian's package.
            if (FindUser(ServiceUser) is null)
            {
                throw new LocalPostgresException(
                    $"Running as root, but there is no '{ServiceUser}' user to run PostgreSQL as; install the server "
                    + "with: apt-get install postgresql (it creates the user), or run as an unprivileged user.");
            }

            runUser = FindProgram("runuser", ["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
                ?? throw new LocalPostgresException(
                    "Running as root, but 'runuser' (util-linux) is missing; it is needed to run PostgreSQL as the "
                    + $"'{ServiceUser}' user.");
        }

        return new LocalPostgres(settings, logger, binDirectory, runUser);
    }

    /// <summary>
    /// Creates the cluster when the data directory holds none, starts the server (or uses the one already running on
    /// this directory and port, which another process may be using too), waits until it accepts connections and
    /// creates the database when missing.
    /// </summary>
    /// <exception cref="LocalPostgresException">
    /// Among others: the server of this directory runs on another port for another process.
    /// </exception>
    public async Task StartAsync(CancellationToken ct)
    {
        Initialised = false;
        await CheckMajorVersionAsync(ct).ConfigureAwait(false);
        PrepareDataDirectory();

        using (await TakeTransitionLockAsync(ct).ConfigureAwait(false))
        {
            if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
            {
                await InitialiseClusterAsync(ct).ConfigureAwait(false);
                Initialised = true;
            }

            _password = ReadPassword();

            if (!await UseRunningServerAsync(ct).ConfigureAwait(false))
            {
                await StartServerAsync(ct).ConfigureAwait(false);
            }

            // Nobody takes the users' lock exclusively without the transition lock, which is ours: this cannot wait.
            _use ??= ServerFileLock.TryTake(UsersLockFile, exclusive: false)
                ?? throw new LocalPostgresException($"The lock file {UsersLockFile} is held by a process that does not follow its protocol.");
        }

        _started = true;
        await EnsureDatabaseAsync(ct).ConfigureAwait(false);
        _logger.LogInformation(
            "Local PostgreSQL ready on 127.0.0.1:{Port}, database {Database}, data in {DataDirectory}",
            _settings.Port, _settings.Database, _dataDirectory);
    }

    /// <summary>
    /// This process no longer uses the server: stops it quickly and cleanly (open sessions are ended) and waits until it
    /// has exited, unless another process is using it, which keeps it running. Also stops a server left running on
    /// the directory by a process that died, when called on an instance that was never started.
    /// </summary>
    public async Task StopAsync(CancellationToken ct)
    {
        _started = false;
        if (!File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            // No server (the directory may not even exist): nothing to stop, nothing to wait for.
            ReleaseUse();
            return;
        }

        using var transition = await TakeTransitionLockAsync(ct).ConfigureAwait(false);
        ReleaseUse();
        using var alone = ServerFileLock.TryTake(UsersLockFile, exclusive: true);
        if (alone is null)
        {
            _logger.LogInformation(
                "Local PostgreSQL in {DataDirectory} left running: another process is using it and stops it when it is done",
                _dataDirectory);
            return;
        }

        if (!File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            return;
        }

        // "fast" rolls back open transactions and shuts down cleanly (no recovery on the next start).
        var result = await RunServerProgramAsync(
            "pg_ctl", ["stop", "-D", _dataDirectory, "-m", "fast", "-w", "-t", Seconds(ServerTimeout)], ct).ConfigureAwait(false);
        if (result.ExitCode != 0 && await IsRunningAsync(ct).ConfigureAwait(false))
        {
            _logger.LogWarning("PostgreSQL did not stop in fast mode ({Error}); stopping it immediately", result.Output);
            result = await RunServerProgramAsync(
                "pg_ctl", ["stop", "-D", _dataDirectory, "-m", "immediate", "-w", "-t", "30"], ct).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new LocalPostgresException($"PostgreSQL in {_dataDirectory} could not be stopped: {result.Output}");
            }
        }

        ClearPools();
        _logger.LogInformation("Local PostgreSQL in {DataDirectory} stopped", _dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        ReleaseUse();
    }

    private void ReleaseUse()
    {
        _use?.Dispose();
        _use = null;
    }

    private Task<ServerFileLock> TakeTransitionLockAsync(CancellationToken ct) =>
        ServerFileLock.TakeAsync(
            TransitionLockFile,
            exclusive: true,
            ServerTimeout,
            $"Another process has been starting or stopping the PostgreSQL server of {_dataDirectory} for more than "
            + $"{Seconds(ServerTimeout)} s (it holds {TransitionLockFile}); try again when it is done.",
            ct);

    /// <summary>Whether a process other than this one holds the users' lock; call it without holding it.</summary>
    private bool OthersUseServer()
    {
        using var alone = ServerFileLock.TryTake(UsersLockFile, exclusive: true);
        return alone is null;
    }

    private void ClearPools()
    {
        // Pooled connections to the stopped server are dead; a restart on the same port must not be handed them.
        if (_password is not null)
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private string BuildConnectionString(string database)
    {
        if (_password is null)
        {
            throw new LocalPostgresException("The local PostgreSQL server has not been started.");
        }

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _settings.Port,
            Database = database,
            Username = SuperUser,
            Password = _password,
        }.ConnectionString;
    }

    private void PrepareDataDirectory()
    {
        var parent = Path.GetDirectoryName(_dataDirectory)
            ?? throw new LocalPostgresException($"The data directory {_dataDirectory} must not be a file system root.");
        Directory.CreateDirectory(parent);

        if (!Directory.Exists(_dataDirectory))
        {
            Directory.CreateDirectory(_dataDirectory);
            SetMode(_dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (_runUser is null)
        {
            return;
        }

        // The postgres user must reach the data directory through every ancestor: grant search (not read) to others
        // on those that lack it, and say so.
        for (var dir = parent; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var mode = GetMode(dir);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                _logger.LogWarning("Granting others search permission on {Directory} so the postgres user can reach its data", dir);
                SetMode(dir, mode | UnixFileMode.OtherExecute);
            }
        }

        if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            RunChecked("chown", ["-R", ServiceUser + ":", _dataDirectory]);
        }
    }

    /// <summary>
    /// Where initdb builds a new cluster before it is moved into the data directory. An interrupted first start
    /// (Ctrl-C during initdb) leaves its half-made cluster here, never in the data directory, so the next start
    /// simply builds it again; this directory never holds anything but that.
    /// </summary>
    private string StagingDirectory => _dataDirectory + ".initdb-incomplete";

    private async Task InitialiseClusterAsync(CancellationToken ct)
    {
        if (Directory.EnumerateFileSystemEntries(_dataDirectory).Any())
        {
            throw new LocalPostgresException(
                $"The data directory {_dataDirectory} is not empty but holds no PostgreSQL cluster; empty it or choose another directory.");
        }

        if (Directory.Exists(StagingDirectory))
        {
            _logger.LogWarning("Removing {Staging}, left by an interrupted first start", StagingDirectory);
            Directory.Delete(StagingDirectory, recursive: true);
        }

        Directory.CreateDirectory(StagingDirectory);
        SetMode(StagingDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (_runUser is not null)
        {
            RunChecked("chown", [ServiceUser + ":", StagingDirectory]);
        }

        var password = File.Exists(PasswordFile) ? ReadPassword() : WritePassword();

        // initdb reads the password from a file: a temporary copy the server user can read, removed right after.
        var initPasswordFile = _dataDirectory + ".initpw";
        await File.WriteAllTextAsync(initPasswordFile, password + "\n", ct).ConfigureAwait(false);
        try
        {
            SetMode(initPasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (_runUser is not null)
            {
                RunChecked("chown", [ServiceUser + ":", initPasswordFile]);
            }

            _logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", _dataDirectory);
            List<string> args =
            [
                "-D", StagingDirectory,
                "--username=" + SuperUser,
                "--pwfile=" + initPasswordFile,
                // Every connection must present the password: no trust for local users.
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-instructions",
            ];
            if (!_settings.Durable)
            {
                args.Add("--no-sync");
            }

            var result = await RunServerProgramAsync("initdb", args, ct).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new LocalPostgresException($"initdb failed for {_dataDirectory}: {result.Output}");
            }
        }
        finally
        {
            File.Delete(initPasswordFile);
        }

        // TCP on the loopback only; no unix socket, as /var/run/postgresql may be missing or not ours, and long data
        // paths would not fit a socket name. pg_ctl waits on postmaster.pid, so it needs no socket either.
        var conf = new StringBuilder()
            .AppendLine()
            .AppendLine("# Cst.Actors local server")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine("unix_socket_directories = ''")
            .AppendLine("password_encryption = 'scram-sha-256'")
            .AppendLine("max_connections = 200")
            .AppendLine("timezone = 'UTC'")
            .AppendLine("log_timezone = 'UTC'");
        // Appended, not replaced, so the file keeps its owner (the server user) when we run as root.
        await File.AppendAllTextAsync(Path.Combine(StagingDirectory, "postgresql.conf"), conf.ToString(), ct).ConfigureAwait(false);

        // Complete: put it in place with one rename in the same parent directory (the empty data directory goes).
        ct.ThrowIfCancellationRequested();
        Directory.Delete(_dataDirectory);
        Directory.Move(StagingDirectory, _dataDirectory);
    }

    private string WritePassword()
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created private, never readable by others even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(PasswordFile, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(password);
        }

        return password;
    }

    private string ReadPassword()
    {
        if (!File.Exists(PasswordFile))
        {
            throw new LocalPostgresException(
                $"The password file {PasswordFile} of the PostgreSQL cluster in {_dataDirectory} is missing; "
                + "restore it, or reset the password of the user '" + SuperUser + "' and write it there.");
        }

        if ((GetMode(PasswordFile) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            _logger.LogWarning("The password file {PasswordFile} was readable by others; restricting it to its owner", PasswordFile);
            SetMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var password = File.ReadAllText(PasswordFile).Trim();
        if (password.Length == 0)
        {
            throw new LocalPostgresException($"The password file {PasswordFile} is empty.");
        }

        return password;
    }

    /// <summary>
    /// Whether a server already runs on this directory and is to be used as it is. One on another port is restarted
    /// with ours if it was left by a process that ended, and refused if another process is using it.
    /// </summary>
    private async Task<bool> UseRunningServerAsync(CancellationToken ct)
    {
        if (!await IsRunningAsync(ct).ConfigureAwait(false))
        {
            // A postmaster.pid left by a crash names a dead process; the server removes it when it starts.
            return false;
        }

        var shared = OthersUseServer();
        var port = ReadRunningPort();
        if (port == _settings.Port)
        {
            if (shared)
            {
                _logger.LogInformation(
                    "The PostgreSQL server on {DataDirectory} (port {Port}) is running for another process: using it too; "
                    + "this process will not stop it while the other one uses it",
                    _dataDirectory, port);
            }
            else
            {
                _logger.LogWarning(
                    "A PostgreSQL server left running on {DataDirectory} (port {Port}) by a process that ended is being reused",
                    _dataDirectory, port);
            }

            return true;
        }

        if (shared)
        {
            throw new LocalPostgresException(
                $"The PostgreSQL server of {_dataDirectory} is running on port {port?.ToString(CultureInfo.InvariantCulture) ?? "(unknown)"} "
                + $"for another process, not on port {_settings.Port.ToString(CultureInfo.InvariantCulture)}; use its port, "
                + "or stop that process first.");
        }

        _logger.LogWarning(
            "A PostgreSQL server left running on {DataDirectory} listens on port {Running}, not {Port}; restarting it",
            _dataDirectory, port, _settings.Port);
        var stop = await RunServerProgramAsync(
            "pg_ctl", ["stop", "-D", _dataDirectory, "-m", "fast", "-w", "-t", Seconds(ServerTimeout)], ct).ConfigureAwait(false);
        if (stop.ExitCode != 0)
        {
            throw new LocalPostgresException($"A PostgreSQL server already running on {_dataDirectory} could not be stopped: {stop.Output}");
        }

        return false;
    }

    private int? ReadRunningPort()
    {
        try
        {
            // postmaster.pid: line 1 pid, 2 data directory, 3 start time, 4 port.
            var lines = File.ReadAllLines(Path.Combine(_dataDirectory, "postmaster.pid"));
            return lines.Length > 3 && int.TryParse(lines[3].Trim(), CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<bool> IsRunningAsync(CancellationToken ct)
    {
        // pg_ctl status: 0 running, 3 not running, 4 no usable data directory.
        var result = await RunServerProgramAsync("pg_ctl", ["status", "-D", _dataDirectory], ct).ConfigureAwait(false);
        return result.ExitCode == 0;
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        List<string> options = ["-p", _settings.Port.ToString(CultureInfo.InvariantCulture)];

        // The server's own log, rotated: one file per weekday in <data>/log, at most 10 MB each, overwritten a week
        // later, so it never fills the disk. Given at every start (not written to postgresql.conf at initdb), so
        // clusters created before this apply it too. postmaster.log keeps only what precedes the collector's start.
        options.AddRange(LogRotation.SelectMany(setting => new[] { "-c", setting }));
        if (!_settings.Durable)
        {
            options.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        var result = await RunServerProgramAsync(
            "pg_ctl",
            ["start", "-D", _dataDirectory, "-l", LogFile, "-w", "-t", Seconds(ServerTimeout), "-o", string.Join(' ', options)],
            ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new LocalPostgresException(
                $"PostgreSQL in {_dataDirectory} did not start on port {_settings.Port} (is the port in use?): "
                + $"{result.Output} {TailOfLog()}");
        }
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(BuildConnectionString("postgres")) { Pooling = false };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
                exists.Parameters.Add(new NpgsqlParameter { Value = _settings.Database });
                if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
                {
                    _logger.LogInformation("Creating database {Database}", _settings.Database);
                    await using var create = new NpgsqlCommand(
                        $"CREATE DATABASE {QuoteIdentifier(_settings.Database)} ENCODING 'UTF8'", connection);
                    try
                    {
                        await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
                    {
                        // Created meanwhile by someone else: fine.
                    }
                }

                return;
            }
            catch (NpgsqlException e) when (e is not PostgresException && DateTime.UtcNow < deadline)
            {
                // The server said ready but the listener may lag a moment behind.
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                throw new LocalPostgresException(
                    $"The local PostgreSQL server on port {_settings.Port} refused the password in {PasswordFile}; "
                    + "is another server using that port?", e);
            }
            catch (NpgsqlException e)
            {
                throw new LocalPostgresException(
                    $"Could not connect to the local PostgreSQL server on 127.0.0.1:{_settings.Port}: {e.Message}", e);
            }
        }
    }

    // Unix modes; the local server is supported on Linux only (Debian's binaries), Windows is out of scope.
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static UnixFileMode GetMode(string path) =>
        OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Seconds(TimeSpan time) => ((int)time.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private string TailOfLog()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return "Server log: " + string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 5)));
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private Task<ProcessResult> RunServerProgramAsync(string program, IReadOnlyList<string> args, CancellationToken ct)
    {
        var path = Path.Combine(_binDirectory, program);
        return _runUser is null
            ? RunAsync(path, args, ct)
            : RunAsync(_runUser, ["-u", ServiceUser, "--", path, .. args], ct);
    }

    private static void RunChecked(string program, IReadOnlyList<string> args)
    {
        var result = RunAsync(program, args, CancellationToken.None).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new LocalPostgresException($"'{program} {string.Join(' ', args)}' failed: {result.Output}");
        }
    }

    private static async Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // The server user may not be able to enter our current directory.
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Messages in English whatever the host's locale, so they read the same in our logs.
        info.Environment["LC_MESSAGES"] = "C";
        info.Environment["LANG"] = "C.UTF-8";

        return await RunAsync(info, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a PostgreSQL program to its end: its stdout and stderr read together (neither pipe may fill and block it),
    /// killed with its children when <paramref name="ct"/> is cancelled.
    /// </summary>
    internal static async Task<ProcessResult> RunAsync(ProcessStartInfo info, CancellationToken ct)
    {
        using var process = Process.Start(info)
            ?? throw new LocalPostgresException($"Could not run {info.FileName}.");
        if (info.RedirectStandardInput)
        {
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = ((await stdout.ConfigureAwait(false)) + " " + (await stderr.ConfigureAwait(false))).Trim();
        return new ProcessResult(process.ExitCode, output);
    }

    private static string? FindBinDirectory()
    {
        static bool Complete(string dir) =>
            File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.EnumerateDirectories(debianRoot)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: ParseVersion(Path.GetFileName(dir))))
                .Where(candidate => candidate.Version is not null && Complete(candidate.Dir))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        var onPath = FindProgram("pg_ctl", []);
        if (onPath is null)
        {
            return null;
        }

        // Follow a symlink such as /usr/local/bin/pg_ctl to the directory holding all the programs.
        var resolved = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
        var dir = Path.GetDirectoryName(resolved)!;
        return Complete(dir) ? dir : null;
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private static string? FindProgram(string name, IEnumerable<string> extraDirectories)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(extraDirectories)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    private static string? FindUser(string name)
    {
        const string passwd = "/etc/passwd";
        if (!File.Exists(passwd))
        {
            return null;
        }

        return File.ReadLines(passwd).FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.Ordinal));
    }

    internal sealed record ProcessResult(int ExitCode, string Output);
}
