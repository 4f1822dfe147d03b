using System.Globalization;
using System.Net;
using System.Text.Json;
using Cst.Actors.Grains.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// Where the monitoring endpoints listen: one HTTP port, on the loopback unless told otherwise. Off unless a port is
/// given (the systemd unit gives <see cref="DefaultPort"/>), so that silos started by hand or by tests side by side
/// do not contend for one port.
/// </summary>
/// <param name="Address">The address of the HTTP listener; 127.0.0.1 unless told otherwise.</param>
/// <param name="Port">Its port (<c>/health</c>, <c>/metrics</c>, <c>/dashboard/</c>); null: no listener.</param>
/// <param name="Dashboard">Whether the Orleans dashboard is served.</param>
public sealed record MonitoringSettings(IPAddress Address, int? Port, bool Dashboard)
{
    public const string AddressKey = "Monitoring:Address";
    public const string PortKey = "Monitoring:Port";
    public const string DashboardKey = "Monitoring:Dashboard";

    /// <summary>The port the unit file and README give: the one OpenTelemetry's Prometheus exporter uses by convention.</summary>
    public const int DefaultPort = 9464;

    /// <summary>The keys, for the command line's list of known keys.</summary>
    public static readonly IReadOnlyList<string> Keys = [AddressKey, PortKey, DashboardKey];

    public static MonitoringSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var address = IPAddress.Loopback;
        if (configuration[AddressKey] is { Length: > 0 } text && !IPAddress.TryParse(text.Trim(), out address!))
        {
            throw new SiloConfigurationException($"{AddressKey} must be an IP address such as 127.0.0.1, not '{text}'.");
        }

        int? port = null;
        if (configuration[PortKey] is { Length: > 0 } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var given) || given is <= 0 or > 65535)
            {
                throw new SiloConfigurationException($"{PortKey} must be a TCP port (1-65535), not '{portText}'.");
            }

            port = given;
        }

        var dashboard = true;
        if (configuration[DashboardKey] is { Length: > 0 } dashboardText && !bool.TryParse(dashboardText.Trim(), out dashboard))
        {
            throw new SiloConfigurationException($"{DashboardKey} must be true or false, not '{dashboardText}'.");
        }

        return new MonitoringSettings(address, port, dashboard);
    }

    /// <summary>The base address of the endpoints, for the log; null when off.</summary>
    public string? Url => Port is { } port ? $"http://{new IPEndPoint(Address, port)}" : null;
}

/// <summary>
/// What a sysadmin watches the silo with, on one HTTP listener off the public interface (<see cref="MonitoringSettings"/>):
/// <c>/health</c> (the silo is active in the membership, the database answers, the reminders table is readable: 200
/// Healthy, else 503 with the failing check named), <c>/metrics</c> (Prometheus text: Orleans' meters, the .NET runtime,
/// Npgsql, and the project's <see cref="CstMetrics"/>), and the Orleans dashboard at <c>/dashboard/</c>.
/// </summary>
public static class SiloMonitoring
{
    public const string HealthPath = "/health";
    public const string MetricsPath = "/metrics";
    public const string DashboardPath = "/dashboard";

    /// <summary>The web server, health checks and metrics of the host; call before building it.</summary>
    public static void AddCstMonitoring(this WebApplicationBuilder builder, MonitoringSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.Services.AddRouting();
        if (settings.Port is { } port)
        {
            builder.WebHost.UseKestrelCore();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(settings.Address, port));
        }
        else
        {
            // The host is a web host either way; with no port it serves nothing (Kestrel would take localhost:5000).
            builder.Services.AddSingleton<IServer, NoServer>();
            return;
        }

        builder.Services.AddHealthChecks()
            .AddCheck<SiloActiveCheck>("silo")
            .AddCheck<DatabaseCheck>("database")
            .AddCheck<RemindersCheck>("reminders");
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.Orleans", "Npgsql", CstMetrics.MeterName)
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
    }

    /// <summary>The dashboard's grains and services on the silo, when enabled.</summary>
    public static ISiloBuilder AddCstDashboard(this ISiloBuilder silo, MonitoringSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Dashboard && settings.Port is not null)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    /// <summary>The endpoints; call on the built host.</summary>
    public static void MapCstMonitoring(this WebApplication app, MonitoringSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Port is null)
        {
            return;
        }

        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (settings.Dashboard)
        {
            app.MapOrleansDashboard(routePrefix: DashboardPath);
        }
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    /// <summary>This silo is Active in the cluster's membership table as this silo sees it.</summary>
    private sealed class SiloActiveCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            return Task.FromResult(status == SiloStatus.Active
                ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is Active")
                : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status} in the membership"));
        }
    }

    /// <summary>The database answers a query within a few seconds.</summary>
    private sealed class DatabaseCheck(PostgresWiring.CstDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bound.CancelAfter(TimeSpan.FromSeconds(5));
                await using var command = dataSource.DataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(bound.Token);
                return HealthCheckResult.Healthy("the database answers");
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                // The message of the driver only: it never carries the password.
                return HealthCheckResult.Unhealthy($"the database does not answer: {e.Message}");
            }
        }
    }

    /// <summary>The reminders table, from which every silo loads its range of reminders, can be read.</summary>
    private sealed class RemindersCheck(PostgresWiring.CstDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bound.CancelAfter(TimeSpan.FromSeconds(5));
                await using var command = dataSource.DataSource.CreateCommand("SELECT count(*) FROM orleans_reminders");
                var count = (long)(await command.ExecuteScalarAsync(bound.Token))!;
                return HealthCheckResult.Healthy($"{count} reminder(s) in the table");
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"the reminders cannot be read: {e.Message}");
            }
        }
    }
}
