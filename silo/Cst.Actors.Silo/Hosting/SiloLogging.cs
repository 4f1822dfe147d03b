using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// The silo's log lines: one line per entry with the date, time and UTC offset; the console formatter chosen by
/// <c>Logging:Console:FormatterName</c> (<c>simple</c>, <c>json</c> for JSON lines, <c>systemd</c>), by default
/// <c>systemd</c> when run as a systemd service (journald priorities, journald adds its own timestamp) and
/// <c>simple</c> otherwise. Options given under <c>Logging:Console:FormatterOptions</c> override these defaults.
/// </summary>
public static class SiloLogging
{
    public const string FormatterNameKey = "Logging:Console:FormatterName";

    /// <summary>A date in every line: a log kept for months must say which day an hour belongs to.</summary>
    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff zzz ";

    /// <summary>ISO 8601 with the offset, for JSON lines that other tools parse.</summary>
    public const string JsonTimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffzzz";

    public static void ConfigureCstLogging(this ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        logging.AddConfiguration(configuration.GetSection("Logging"));

        // Defaults registered before AddConsole, whose binding of Logging:Console:FormatterOptions then overrides them.
        logging.Services.Configure<SimpleConsoleFormatterOptions>(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = TimestampFormat;
        });
        logging.Services.Configure<JsonConsoleFormatterOptions>(options =>
        {
            options.TimestampFormat = JsonTimestampFormat;
            options.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        logging.Services.Configure<ConsoleFormatterOptions>(options => options.TimestampFormat = TimestampFormat);

        // Not AddSimpleConsole: it forces the simple formatter, so Logging:Console:FormatterName would be ignored.
        logging.AddConsole();
        var configured = configuration[FormatterNameKey];
        logging.Services.PostConfigure<ConsoleLoggerOptions>(options =>
            options.FormatterName = string.IsNullOrWhiteSpace(configured)
                ? SystemdHelpers.IsSystemdService() ? ConsoleFormatterNames.Systemd : ConsoleFormatterNames.Simple
                : configured.Trim());
    }
}
