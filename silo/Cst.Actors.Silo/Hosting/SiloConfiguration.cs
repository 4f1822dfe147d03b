using System.Globalization;
using System.Net;
using Cst.Actors.Connection;
using Cst.Actors.Silo.Database;
using Microsoft.Extensions.Configuration;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// Reads the silo's configuration (appsettings.json, <c>CST_</c> environment variables, command line) into settings,
/// with the defaults of a single-host installation. Every key and default is listed here.
/// </summary>
public static class SiloConfiguration
{
    /// <summary>Prefix of the environment variables read, e.g. <c>CST_ConnectionStrings__Cst</c>.</summary>
    public const string EnvironmentPrefix = CstConnectionSettings.EnvironmentPrefix;

    /// <summary>Name of the connection string (<c>ConnectionStrings:Cst</c>); unset means the embedded PostgreSQL.</summary>
    public const string ConnectionStringName = CstConnectionSettings.ConnectionStringName;

    public const string ClusterIdKey = CstConnectionSettings.ClusterIdKey;
    public const string ServiceIdKey = CstConnectionSettings.ServiceIdKey;
    public const string SiloPortKey = "Silo:SiloPort";
    public const string GatewayPortKey = "Silo:GatewayPort";
    public const string ListenAddressKey = "Silo:ListenAddress";
    public const string AdvertisedAddressKey = "Silo:AdvertisedAddress";
    public const string EmbeddedDataDirectoryKey = CstConnectionSettings.EmbeddedDataDirectoryKey;
    public const string EmbeddedPortKey = CstConnectionSettings.EmbeddedPortKey;
    public const string SqlDirectoryKey = "Sql:Directory";

    /// <summary>Default port of the embedded PostgreSQL: fixed, and not 5432, so it does not meet a system server.</summary>
    public const int DefaultEmbeddedPort = CstConnectionSettings.DefaultEmbeddedPort;

    /// <summary>The configured connection string, or null when the embedded PostgreSQL is to be used.</summary>
    public static string? ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value)
            ? value
            : null;

    /// <summary>The silo settings, given the connection string actually used (configured or embedded).</summary>
    /// <exception cref="SiloConfigurationException">A value is present but not valid.</exception>
    public static CstSiloSettings ReadSilo(IConfiguration configuration, string connectionString)
    {
        var listen = ReadAddress(configuration, ListenAddressKey, IPAddress.Loopback);
        var advertised = ReadAddress(configuration, AdvertisedAddressKey, IPAddress.Loopback);
        if (advertised.Equals(IPAddress.Any) || advertised.Equals(IPAddress.IPv6Any))
        {
            throw new SiloConfigurationException(
                $"{AdvertisedAddressKey} is {advertised}, which other silos and clients cannot connect to; "
                + "give the address of this host they reach (the listen address may be 0.0.0.0).");
        }

        var siloPort = ReadPort(configuration, SiloPortKey, SiloEndpoints.DefaultSiloPort);
        var gatewayPort = ReadPort(configuration, GatewayPortKey, SiloEndpoints.DefaultGatewayPort);
        if (siloPort == gatewayPort)
        {
            throw new SiloConfigurationException(
                $"{SiloPortKey} and {GatewayPortKey} are both {siloPort}; they must differ.");
        }

        return new CstSiloSettings(
            connectionString,
            ReadName(configuration, ClusterIdKey, CstSiloSettings.DefaultClusterId),
            ReadName(configuration, ServiceIdKey, CstSiloSettings.DefaultServiceId),
            new SiloEndpoints(listen, advertised, siloPort, gatewayPort));
    }

    /// <summary>Where the embedded PostgreSQL keeps its data and which port it listens on (127.0.0.1).</summary>
    public static LocalPostgresSettings ReadEmbeddedPostgres(IConfiguration configuration)
    {
        var dataDirectory = configuration[EmbeddedDataDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : DefaultEmbeddedDataDirectory();
        return new LocalPostgresSettings(dataDirectory, ReadPort(configuration, EmbeddedPortKey, DefaultEmbeddedPort));
    }

    /// <summary>The directory holding the SQL scripts; by default <c>sql/</c> beside the program.</summary>
    public static string ReadSqlDirectory(IConfiguration configuration) =>
        configuration[SqlDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "sql");

    /// <summary>The embedded server's default data directory (shared with clients: <see cref="CstConnectionSettings"/>).</summary>
    public static string DefaultEmbeddedDataDirectory() => CstConnectionSettings.DefaultEmbeddedDataDirectory();

    private static string ReadName(IConfiguration configuration, string key, string defaultValue)
    {
        var value = configuration[key];
        if (value is null)
        {
            return defaultValue;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new SiloConfigurationException($"{key} is empty; leave it out for the default '{defaultValue}'.");
        }

        return value.Trim();
    }

    private static int ReadPort(IConfiguration configuration, string key, int defaultValue)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
        {
            throw new SiloConfigurationException($"{key} must be a TCP port (1-65535), not '{value}'.");
        }

        return port;
    }

    private static IPAddress ReadAddress(IConfiguration configuration, string key, IPAddress defaultValue)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }

        if (!IPAddress.TryParse(value.Trim(), out var address))
        {
            throw new SiloConfigurationException($"{key} must be an IP address such as 127.0.0.1, not '{value}'.");
        }

        return address;
    }
}

/// <summary>A configuration value is present but unusable; the message names the key and the value.</summary>
public sealed class SiloConfigurationException(string message) : Exception(message);
