using System.Globalization;
using System.Text.RegularExpressions;

namespace Cst.Actors.Admin.Tui;

public sealed partial class Texts
{
    /// <summary>English: the console's original words and formats (ISO dates, 1,234.56), times in Rome.</summary>
    public static Texts English { get; } = new()
    {
        Code = "en",
        Culture = CultureInfo.InvariantCulture,
        DatePattern = "yyyy-MM-dd",
        GlobalKeys = "F1 Help F2 Enti F3 Due F4 Billing F5 Notice F6 Audit F7 Catalog ^Q Quit",
        GlobalHelp =
        [
            "F1 or ?   this help",
            "F2 enti  F3 deadlines  F4 billing  F5 notices  F6 audit  F7 catalogue",
            "F8        reload the screen   F9  the whole message",
            "Esc       back to the previous screen (never quits)",
            "F10, Ctrl-Q   quit (asks first)",
        ],
        Unreachable = "cluster not reachable, retrying...",
        Reachable = "cluster reachable again; screen reloaded",
        ErrorPrefix = "Error: ",
        Yes = "Yes",
        No = "No",
        Ok = "OK",
        Cancel = "Cancel",
        Close = "Close",
        Confirm = "Confirm",
        Cancelled = "Cancelled.",
        MoreKey = "(F9 all)",
        MessageTitle = "Message",
        QuitTitle = "Quit",
        QuitQuestion = "Quit the cst console?",
        HelpTitle = screen => $"Keys: {screen}",
        Reloaded = (screen, at) => $"Reloaded {screen} at {at}.",

        EntiName = "Enti",
        EntiKeys = "/ search  Enter open ente  a add  e edit ente  Tab search/list",
        EntiHelp = ["/         search by name or code", "Enter     open the selected ente", "a         add an ente", "e         edit the selected ente", "Tab       search field / list"],
        Search = "Search:",
        EntiShown = (count, filter) => $"Enti: {count} shown" + (filter.Length > 0 ? $" matching '{filter}'" : string.Empty),
        Withdrawn = " (withdrawn)",
        NotAvailable = "n/a",
        ColCode = "Code",
        ColName = "Name",
        ColPopulation = "Population",
        ColActive = "Active",
        ColEstimate = year => $"Estimate {year}",

        EnteName = "Ente",
        EnteKeys = "d disdetta t tier/qty c cons. r renew x revoke m/v/h new e/p/y/w ente s/n Esc",
        EnteHelp =
        [
            "d  disdetta of the selected object",
            "t  tier (PEC mailbox) or quantity (service)",
            "c  record consumption (service)",
            "r  renew the certificate   x  revoke (firma device)",
            "m  new PEC mailbox   v  new firma device   h  new service",
            "e  edit the ente   p  population   y  payer   w  withdraw",
            "s  statement year   n  notices / statement   Esc  back",
        ],
        ColKind = "Kind",
        ColKey = "Key",
        ColStatus = "Status",
        ColNextDeadline = "Next deadline",
        ColDetail = "Detail",
        ColDue = "Due",
        ColObject = "Object",
        ColMessage = "Message",
        ColService = "Service",
        ColComponent = "Component",
        ColAmount = "Amount",
        KindPec = "PEC",
        KindFirma = "Firma",
        KindService = "Service",
        NotLoaded = "The ente is not loaded yet.",
        SelectObjectFirst = "Select a mailbox, device or service first.",
        NotApplicable = (kind, key) => $"That action does not apply to {kind} {key}.",
        NoticesOf = (ente, count) => $"Notices of {ente}: {count} (n: statement)",
        StatementOf = (year, money, lines) => $"Statement {year}: EUR {money} in {lines} line(s)",
        StatementNot = (year, why) => $"Statement {year}: {why}",
        NotComputed = "not computed",
        StatementKeys = " (s: year, n: notices)",
        EnteHeader = (name, kindAndKey, adhered, population, listino) => $"{name} ({kindAndKey}) | adhered {adhered} | {population} | listino {listino}",
        Population = (inhabitants, year) => $"population {inhabitants} ({year})",
        PopulationNone = "population not recorded",
        WithdrawnOn = "WITHDRAWN",

        DeadlinesName = "Deadlines",
        DeadlinesKeys = "n days ahead  / filter (ente, object, kind)  Enter open ente",
        DeadlinesHelp = ["n      days ahead", "/      filter by ente, object or kind", "Enter  open the ente of the selected row"],
        DeadlinesTitle = (days, shown, total, filter) => filter.Length == 0
            ? $"Deadlines in the next {days} days: {total}"
            : $"Deadlines in the next {days} days: {shown} of {total} matching '{filter}'",
        NoticesName = "Notices",
        NoticesKeys = "Enter open ente",
        NoticesTitle = count => $"Notices (latest {count}, newest due date first)",
        AuditName = "Audit",
        AuditKeys = "f filter by object or operator",
        AuditTitle = (count, filter) => $"Audit log (latest {count})" + (filter.Length == 0 ? string.Empty : $" matching '{filter}'"),
        ColAt = "At (Rome)",
        ColOperator = "Operator",
        ColAction = "Action",
        ColAfter = "After",
        CatalogueName = "Catalogue",
        CatalogueKeys = "read only: cst listino load/adopt to change",
        CatalogueHelp = ["Listini: each version with its act, status (adopted, draft) and tariffs.", "Read only: cst listino load / cst listino adopt change them."],
        CatalogueTitle = (versions, services) => $"Catalogue: {versions} listino versions, {services} services",
        ColListino = "Listino",
        ColVersion = "Version",
        ColCharges = "Charges",

        BillingName = "Billing",
        BillingKeys = "y year/mode p preview f final c close e export Enter ente lines Tab tables",
        BillingHelp =
        [
            "y      year and mode",
            "p      start a preview   f  start the final run",
            "c      close the final run (it becomes immutable)",
            "e      export (csv, json, text)",
            "Enter  the lines of the selected ente   Tab  the other table",
        ],
        ColPayer = "Payer",
        ColLines = "Lines",
        ColTotal = "Total",
        CloseQuestion = year => $"Close the final run of {year}? It becomes immutable.",
        StartQuestion = (final, year) => $"Start the {(final ? "final run" : "preview")} of {year}?",
        Started = (final, year) => $"Started the {(final ? "final run" : "preview")} of {year}.",
        Totals = (money, enti, lines) => $"Totals: EUR {money} over {enti} enti, {lines} lines",
        RunningInCluster = "Running in the cluster...",
        NoCompletedRun = "No completed run for this year and mode: p starts a preview.",
        RunStatus = (year, mode, revision, status, done, total, failed, lines, money) =>
            FormattableString.Invariant($"{year} {mode} r{revision}: {status}, {done}/{total} enti{(failed > 0 ? FormattableString.Invariant($", {failed} failed") : string.Empty)}, {lines} lines, EUR {money}"),
        Failed = count => $"{count} failed",

        Words = new Dictionary<string, string>(StringComparer.Ordinal),
        ErrorRules = [],
    };

    private static Regex Rule(string pattern) => new(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}
