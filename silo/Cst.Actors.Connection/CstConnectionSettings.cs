using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Cst.Actors.Connection;

/// <summary>
/// The configuration silos and clients share to meet in one cluster: keys, the <c>CST_</c> environment prefix and the
/// defaults of a single-host installation (the embedded PostgreSQL). The silo reads its own keys on top of these.
/// </summary>
public static class CstConnectionSettings
{
    /// <summary>Prefix of the environment variables read, e.g. <c>CST_ConnectionStrings__Cst</c>.</summary>
    public const string EnvironmentPrefix = "CST_";

    /// <summary>Name of the connection string (<c>ConnectionStrings:Cst</c>); unset means the embedded PostgreSQL.</summary>
    public const string ConnectionStringName = "Cst";

    public const string ClusterIdKey = "Cluster:ClusterId";
    public const string ServiceIdKey = "Cluster:ServiceId";
    public const string EmbeddedDataDirectoryKey = "EmbeddedPostgres:DataDirectory";
    public const string EmbeddedPortKey = "EmbeddedPostgres:Port";

    /// <summary>The default cluster id.</summary>
    public const string DefaultClusterId = "cst";

    /// <summary>The default service id: part of every stored key, never change it once data exists.</summary>
    public const string DefaultServiceId = "cst-actors";

    /// <summary>Default port of the embedded PostgreSQL: fixed, and not 5432, so it does not meet a system server.</summary>
    public const int DefaultEmbeddedPort = 55432;

    /// <summary>The database and the user the embedded PostgreSQL creates.</summary>
    public const string EmbeddedDatabase = "cst";

    public const string EmbeddedUser = "cst";

    /// <summary>The configured connection string, or null when the embedded PostgreSQL is to be used.</summary>
    public static string? ConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetConnectionString(ConnectionStringName) is { } value && !string.IsNullOrWhiteSpace(value)
            ? value
            : null;
    }

    /// <summary>The embedded server's data directory: configured, or <see cref="DefaultEmbeddedDataDirectory"/>.</summary>
    public static string EmbeddedDataDirectory(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[EmbeddedDataDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : DefaultEmbeddedDataDirectory();
    }

    /// <summary>The file holding the embedded server's generated password (0600, beside the data directory).</summary>
    public static string PasswordFile(string dataDirectory) => dataDirectory + ".password";

    /// <summary>
    /// The embedded default's certificates (the cluster's CA, the silo's, the operators' shared one), created by the
    /// silo at its first start beside the data directory as the password file is.
    /// </summary>
    public static string TlsDirectory(string dataDirectory) => dataDirectory + ".tls";

    /// <summary>
    /// The embedded server's default data directory. As root it is <c>/var/lib/cst-actors/postgres</c>: the server
    /// then runs as the unprivileged <c>postgres</c> user, which cannot traverse <c>/root</c>. Otherwise it is under
    /// the user's data directory (<c>$XDG_DATA_HOME</c>, else <c>~/.local/share</c>), in <c>cst-actors/postgres</c>.
    /// </summary>
    public static string DefaultEmbeddedDataDirectory()
    {
        if (!OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess)
        {
            return "/var/lib/cst-actors/postgres";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome) || !Path.IsPathRooted(dataHome))
        {
            dataHome = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        }

        if (string.IsNullOrWhiteSpace(dataHome))
        {
            dataHome = Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify),
                ".local",
                "share");
        }

        return Path.Combine(dataHome, "cst-actors", "postgres");
    }

    /// <summary>
    /// What a client connects to: the configured database, or the embedded server's (127.0.0.1, its port, the
    /// password from its password file). Throws <see cref="CstConnectionException"/> when neither is available.
    /// </summary>
    public static CstClientSettings ReadClient(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var clusterId = Name(configuration, ClusterIdKey, DefaultClusterId);
        var serviceId = Name(configuration, ServiceIdKey, DefaultServiceId);
        CstTlsSettings? tls;
        try
        {
            tls = CstTlsSettings.Read(configuration);
        }
        catch (InvalidOperationException e)
        {
            throw new CstConnectionException(e.Message);
        }

        if (ConnectionString(configuration) is { } configured)
        {
            return new CstClientSettings(configured, clusterId, serviceId, Embedded: false) { Tls = tls };
        }

        var dataDirectory = EmbeddedDataDirectory(configuration);
        var port = configuration[EmbeddedPortKey] is { Length: > 0 } p
            && int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            && parsed is > 0 and <= 65535
                ? parsed
                : DefaultEmbeddedPort;
        var passwordFile = PasswordFile(dataDirectory);
        string password;
        try
        {
            password = File.ReadAllText(passwordFile).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CstConnectionException(
                $"no connection string configured and the embedded PostgreSQL's password file {passwordFile} does not exist: no silo has started here yet");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file is there, so a silo has started here: starting one is not the answer, reading the file is.
            var why = Directory.Exists(passwordFile) ? "it is a directory" : $"permission denied to user {Environment.UserName}";
            throw new CstConnectionException(
                $"the embedded PostgreSQL's password file {passwordFile} cannot be read ({why}): run cst as the user that runs "
                + "the silo (the file is readable by its owner only), or give --connection-string")
            { SiloMayBeDown = false };
        }

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = EmbeddedDatabase,
            Username = EmbeddedUser,
            Password = password,
        }.ConnectionString;
        // The embedded default requires mutual TLS also on the loopback: the operators' certificate the silo created.
        if (tls is null && SharedOperatorsCertificate(dataDirectory) is { } shared)
        {
            tls = shared;
        }

        return new CstClientSettings(connectionString, clusterId, serviceId, Embedded: true) { Tls = tls };
    }

    /// <summary>The shared operators' certificate of the embedded default, or null when the silo made none (yet).</summary>
    /// <exception cref="CstConnectionException">It exists but its key cannot be read by this user.</exception>
    private static CstTlsSettings? SharedOperatorsCertificate(string dataDirectory)
    {
        var shared = CstTlsSettings.SharedOperators(TlsDirectory(dataDirectory));
        if (!File.Exists(shared.CertificateFile))
        {
            return null;
        }

        try
        {
            using (File.OpenRead(shared.KeyFile))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CstConnectionException(
                $"the operators' certificate key {shared.KeyFile} cannot be read by user {Environment.UserName}: run cst as the silo's user "
                + "or a member of its group, or give your own certificate (--cert, --key, --ca)")
            { SiloMayBeDown = false };
        }

        return shared;
    }

    private static string Name(IConfiguration configuration, string key, string defaultValue) =>
        configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : defaultValue;
}

/// <summary>What a client needs to find the cluster. The connection string holds a password: never log it.</summary>
public sealed record CstClientSettings(string ConnectionString, string ClusterId, string ServiceId, bool Embedded)
{
    /// <summary>Mutual TLS to the gateways (<see cref="CstTlsSettings"/>), when the cluster requires it.</summary>
    public CstTlsSettings? Tls { get; init; }

    public override string ToString() =>
        $"CstClientSettings {{ ClusterId = {ClusterId}, ServiceId = {ServiceId}, Embedded = {Embedded} }}";
}

/// <summary>The client cannot reach the cluster; the message is one plain sentence.</summary>
public sealed class CstConnectionException : Exception
{
    public CstConnectionException(string message)
        : base(message)
    {
    }

    public CstConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CstConnectionException()
        : this("The cluster cannot be reached.")
    {
    }

    /// <summary>
    /// Whether no silo running may be the cause, so that the message can say how to start one; false when the cause
    /// is known to be another (a password file that cannot be read, a cluster that is slow to answer).
    /// </summary>
    public bool SiloMayBeDown { get; init; } = true;
}
