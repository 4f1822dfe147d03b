using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// The interactive console's words and formats in one language: <see cref="Italian"/> (the default, for the CST's
/// staff) or <see cref="English"/> (<c>--lang en</c> or <c>CST_LANG=en</c>).
/// </summary>
/// <remarks>
/// A strongly-typed class rather than .resx resources: every text is a <c>required</c> member, so a language missing
/// one does not compile; texts with values are functions with named, typed parameters (no positional
/// <c>{0}</c> to get wrong between languages); and no resource generator is needed (the SDK build does not run the
/// designer's one). The domain's names stay the domain's in both languages (ente, casella PEC, disdetta, rendiconto).
/// </remarks>
public sealed partial class Texts
{
    /// <summary>The times of the console are the CST's: Europe/Rome, whatever the host's zone.</summary>
    public static readonly DateTimeZone Rome = DateTimeZoneProviders.Tzdb["Europe/Rome"];

    public required string Code { get; init; }

    public required CultureInfo Culture { get; init; }

    public required string DatePattern { get; init; }

    // ---- the main window ----
    public required string GlobalKeys { get; init; }
    public required IReadOnlyList<string> GlobalHelp { get; init; }
    public required string Unreachable { get; init; }
    public required string Reachable { get; init; }
    public required string ErrorPrefix { get; init; }
    public required string Yes { get; init; }
    public required string No { get; init; }
    public required string Ok { get; init; }
    public required string Cancel { get; init; }
    public required string Close { get; init; }
    public required string Confirm { get; init; }
    public required string Cancelled { get; init; }
    public required string MoreKey { get; init; }
    public required string MessageTitle { get; init; }
    public required string QuitTitle { get; init; }
    public required string QuitQuestion { get; init; }
    public required Func<string, string> HelpTitle { get; init; }
    public required Func<string, string, string> Reloaded { get; init; }

    // ---- enti ----
    public required string EntiName { get; init; }
    public required string EntiKeys { get; init; }
    public required IReadOnlyList<string> EntiHelp { get; init; }
    public required string Search { get; init; }
    public required Func<int, string, string> EntiShown { get; init; }

    /// <summary>A list longer than one page: rows from-to of total, and the keys that turn the page.</summary>
    public required Func<int, int, int, string> PageOf { get; init; }
    public required string Withdrawn { get; init; }
    public required string NotAvailable { get; init; }
    public required string ColCode { get; init; }
    public required string ColName { get; init; }
    public required string ColPopulation { get; init; }
    public required string ColActive { get; init; }
    public required Func<int, string> ColEstimate { get; init; }

    // ---- an ente ----
    public required string EnteName { get; init; }
    public required string EnteKeys { get; init; }
    public required IReadOnlyList<string> EnteHelp { get; init; }
    public required string ColKind { get; init; }
    public required string ColKey { get; init; }
    public required string ColStatus { get; init; }
    public required string ColNextDeadline { get; init; }
    public required string ColDetail { get; init; }
    public required string ColDue { get; init; }
    public required string ColObject { get; init; }
    public required string ColMessage { get; init; }
    public required string ColService { get; init; }
    public required string ColComponent { get; init; }
    public required string ColAmount { get; init; }
    public required string KindPec { get; init; }
    public required string KindFirma { get; init; }
    public required string KindService { get; init; }
    public required string NotLoaded { get; init; }
    public required string SelectObjectFirst { get; init; }
    public required Func<string, string, string> NotApplicable { get; init; }
    public required Func<string, int, string> NoticesOf { get; init; }
    public required Func<int, string, int, string> StatementOf { get; init; }
    public required Func<int, string, string> StatementNot { get; init; }
    public required string NotComputed { get; init; }
    public required string StatementKeys { get; init; }
    public required Func<string, string, string, string, string, string> EnteHeader { get; init; }
    public required Func<int, int, string> Population { get; init; }
    public required string PopulationNone { get; init; }
    public required string WithdrawnOn { get; init; }

    // ---- deadlines, notices, audit, catalogue ----
    public required string DeadlinesName { get; init; }
    public required string DeadlinesKeys { get; init; }
    public required IReadOnlyList<string> DeadlinesHelp { get; init; }
    public required Func<int, int, int, string, string> DeadlinesTitle { get; init; }
    public required string NoticesName { get; init; }
    public required string NoticesKeys { get; init; }
    public required Func<int, string> NoticesTitle { get; init; }
    public required string AuditName { get; init; }
    public required string AuditKeys { get; init; }
    public required Func<int, string, string> AuditTitle { get; init; }
    public required string ColAt { get; init; }
    public required string ColOperator { get; init; }
    public required string ColAction { get; init; }
    public required string ColAfter { get; init; }
    public required string CatalogueName { get; init; }
    public required string CatalogueKeys { get; init; }
    public required IReadOnlyList<string> CatalogueHelp { get; init; }
    public required Func<int, int, string> CatalogueTitle { get; init; }
    public required string ColListino { get; init; }
    public required string ColVersion { get; init; }
    public required string ColCharges { get; init; }

    // ---- outbox ----
    public required string OutboxName { get; init; }
    public required string OutboxKeys { get; init; }
    public required IReadOnlyList<string> OutboxHelp { get; init; }
    public required Func<int, int, string> OutboxTitle { get; init; }
    public required string ColRecipient { get; init; }
    public required string ColWhat { get; init; }
    public required string ColAttempts { get; init; }
    public required string ColOutcome { get; init; }
    /// <summary>The label of a message's field (id, kind, source, ... as <c>cst outbox show</c> names them).</summary>
    public required Func<string, string> OutboxField { get; init; }
    public required Func<long, string> OutboxMessageTitle { get; init; }
    public required Func<long, string, string> OutboxRetryQuestion { get; init; }
    public required Func<long, string, string> OutboxRetried { get; init; }
    public required Func<long, string, string> OutboxNotRetried { get; init; }

    // ---- billing ----
    public required string BillingName { get; init; }
    public required string BillingKeys { get; init; }
    public required IReadOnlyList<string> BillingHelp { get; init; }
    public required string ColPayer { get; init; }
    public required string ColLines { get; init; }
    public required string ColTotal { get; init; }
    public required Func<int, string> CloseQuestion { get; init; }
    public required Func<bool, int, string> StartQuestion { get; init; }
    public required Func<bool, int, string> Started { get; init; }
    public required Func<string, int, int, string> Totals { get; init; }
    public required string RunningInCluster { get; init; }
    public required string NoCompletedRun { get; init; }
    public required Func<int, string, int, string, int, int, int, int, string, string> RunStatus { get; init; }
    public required Func<int, string> Failed { get; init; }

    /// <summary>Enum names (statuses, deadline kinds, reasons, run modes) as the operator reads them; others unchanged.</summary>
    public required IReadOnlyDictionary<string, string> Words { get; init; }

    /// <summary>
    /// Domain refusals (the grains' English sentences, no code with arguments to translate by) rewritten at the
    /// display edge: each rule in turn, names of the domain's objects first, then whole sentences, then the dates.
    /// </summary>
    public required IReadOnlyList<(Regex Pattern, string Replacement)> ErrorRules { get; init; }

    public string Word(object? value) =>
        value?.ToString() is { } name ? (Words.TryGetValue(name, out var word) ? word : name) : string.Empty;

    public string Date(LocalDate date) => date.ToString(DatePattern, CultureInfo.InvariantCulture);

    /// <summary>Amounts with the language's separators: 1.234,56 in Italian.</summary>
    public string Money(Domain.Money money) => money.Euros.ToString("#,##0.00", Culture);

    public string Number(long n) => n.ToString("#,##0", Culture);

    /// <summary>A moment as a time in Rome (the audit is stored in UTC).</summary>
    public string Time(Instant at) => Date(at.InZone(Rome).Date) + " " + at.InZone(Rome).TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A refusal of the domain in this language where the rules know its sentence; otherwise as given.</summary>
    public string Error(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (FromEnglish(message) is { } known)
        {
            return known;
        }

        foreach (var (pattern, replacement) in ErrorRules)
        {
            message = pattern.Replace(message, replacement);
        }

        return message;
    }

    /// <summary>
    /// The language chosen: <c>--lang it|en</c> (or <c>--lang=en</c>), taken out of <paramref name="args"/> so the
    /// command line parser never sees it; else <c>CST_LANG</c>; else Italian. Unknown: null, with the reason.
    /// </summary>
    public static Texts? Choose(ref string[] args, string? environment, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(args);
        problem = null;
        string? asked = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--lang" && i + 1 < args.Length)
            {
                asked = args[++i];
            }
            else if (args[i].StartsWith("--lang=", StringComparison.Ordinal))
            {
                asked = args[i]["--lang=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        args = [.. rest];
        asked ??= string.IsNullOrWhiteSpace(environment) ? "it" : environment;
        var code = asked.Trim().ToLowerInvariant();
        // it_IT.UTF-8 and en-GB name the same languages.
        var language = code.Length >= 2 ? code[..2] : code;
        switch (language)
        {
            case "it":
                return Italian;
            case "en":
                return English;
            default:
                problem = $"the language is it or en, not '{asked}'";
                return null;
        }
    }

}
