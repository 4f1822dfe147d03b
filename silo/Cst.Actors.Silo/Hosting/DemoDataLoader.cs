using System.Diagnostics;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Contracts.ReferenceData;
using Cst.Actors.Domain;
using Cst.Actors.Grains.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Cst.Actors.Silo.Hosting;

/// <summary>When the silo loads the demo data (<see cref="DemoData"/>: the 102 comuni of the Province of Padova).</summary>
public enum DemoDataLoad
{
    /// <summary>Default: on a start with the embedded PostgreSQL whose directory of enti is still empty.</summary>
    FirstStart,

    /// <summary>On every start, on any database: an import is idempotent, so this completes an interrupted one.</summary>
    Always,

    /// <summary>Never.</summary>
    Never,
}

/// <summary>Loads the demo data after the silo has started, through the same importer as <c>cst import</c>.</summary>
public static class DemoDataLoader
{
    /// <summary>Configuration key: FirstStart (default), Always or Never; environment <c>CST_DemoData__Load</c>.</summary>
    public const string LoadKey = "DemoData:Load";

    /// <summary>The operator name of the demo data's audit rows.</summary>
    public const string Operator = "demo-data";

    /// <summary>The configured mode; throws <see cref="SiloConfigurationException"/> for an unknown value.</summary>
    public static DemoDataLoad ReadMode(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[LoadKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DemoDataLoad.FirstStart;
        }

        return Enum.TryParse<DemoDataLoad>(value.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new SiloConfigurationException($"{LoadKey} is '{value}'; it must be FirstStart, Always or Never.");
    }

    /// <summary>
    /// Imports the demo data when <paramref name="mode"/> says so, logging a one-line summary (and each ente not
    /// imported); returns the report, or null when nothing was loaded.
    /// </summary>
    public static async Task<ImportReport?> LoadAsync(DemoDataLoad mode, bool embedded, IGrainFactory grains, IClock clock,
        ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        if (mode == DemoDataLoad.Never || (mode == DemoDataLoad.FirstStart && !embedded))
        {
            return null;
        }

        if (mode == DemoDataLoad.FirstStart
            && (await grains.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).ListAsync().ConfigureAwait(false)).Count > 0)
        {
            return null;
        }

        var started = Stopwatch.StartNew();
        var document = DemoData.Build(clock.Today());
        var report = await new CstImporter(grains).ImportAsync(document, Operator, cancellationToken).ConfigureAwait(false);
        foreach (var ente in report.Enti.Where(e => e.Outcome is ImportOutcome.Refused or ImportOutcome.Failed))
        {
            logger.LogWarning("Demo data: {Ente}", ente.ToString());
        }

        logger.LogInformation(
            "Demo data loaded: the comuni of the Province of Padova ({Summary}) in {Seconds:F1} s; source {Attribution}; turn off with {Key}=Never",
            report.Summary, started.Elapsed.TotalSeconds, IstatComuni.Attribution, LoadKey);
        return report;
    }
}
