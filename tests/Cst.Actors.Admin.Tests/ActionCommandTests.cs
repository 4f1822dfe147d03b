using System.Globalization;
using System.Text;
using System.Text.Json;
using Cst.Actors.Admin.Commands;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// The console's actions as verbs (<c>cst ente add ...</c>, <c>cst pec ...</c>, <c>cst firma ...</c>,
/// <c>cst servizio ...</c>) in-process on the test cluster, whose today is 20 November 2026: per verb, its effect
/// read back through <c>ente show</c>/<c>ente list --json</c>, a refusal of the rules (exit 1 with the message), a
/// malformed value (exit 2 naming it), and its <c>--json</c> output; then the README's first session in command mode.
/// Amounts are worked out from the tariffs of cst-padova 2020-10.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class ActionCommandTests(AdminCluster cluster)
{
    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var mode = new CommandMode(output, error, progressToTerminal: false);
        var code = await mode.RunAsync(mode.Parse(args), () => Task.FromResult(cluster.Session()));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>As the program runs it: <c>--lang</c> taken out first, else <paramref name="environment"/> (CST_LANG), else Italian.</summary>
    private async Task<(int Code, string Out, string Err)> RunInLanguageAsync(string? environment, params string[] args)
    {
        var texts = Tui.Texts.Choose(ref args, environment, out _)!;
        var output = new StringWriter();
        var error = new StringWriter();
        var mode = new CommandMode(output, error, progressToTerminal: false) { Texts = texts };
        var code = await mode.RunAsync(mode.Parse(args), () => Task.FromResult(cluster.Session()));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the verb with --json, expecting success: its output parses as one JSON object.</summary>
    private async Task<JsonElement> OkAsync(params string[] args)
    {
        var (code, output, err) = await RunAsync([.. args, "--json"]);
        Assert.True(code == CommandMode.ExitOk, $"cst {string.Join(' ', args)}: exit {code}, stderr: {err}");
        Assert.Equal(string.Empty, err);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>A refusal of the rules: exit 1, one line on stderr with the message, the same under --json.</summary>
    private async Task RefusedAsync(string expected, params string[] args)
    {
        var (code, output, err) = await RunAsync(args);
        Assert.True(code == CommandMode.ExitFailed, $"cst {string.Join(' ', args)}: expected exit 1, got {code}, stdout: {output}, stderr: {err}");
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("cst: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(expected, err, StringComparison.Ordinal);

        (code, output, _) = await RunAsync([.. args, "--json"]);
        Assert.Equal(CommandMode.ExitFailed, code);
        Assert.Contains(expected, JsonDocument.Parse(output).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Bad input: exit 2 and one line naming the value (or the option missing), nothing on stdout.</summary>
    private async Task BadInputAsync(string named, params string[] args)
    {
        var (code, output, err) = await RunAsync(args);
        Assert.True(code == CommandMode.ExitUsage, $"cst {string.Join(' ', args)}: expected exit 2, got {code}, stdout: {output}, stderr: {err}");
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("cst: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(named, err, StringComparison.Ordinal);
    }

    private async Task<JsonElement> ShowAsync(string enteId, int? year = null)
    {
        string[] args = year is { } y ? ["ente", "show", enteId, "--year", y.ToString(CultureInfo.InvariantCulture)] : ["ente", "show", enteId];
        return await OkAsync(args);
    }

    private static JsonElement ObjectOf(JsonElement show, string key) =>
        show.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("key").GetString() == key);

    private async Task<decimal> StatementTotalAsync(string enteId) =>
        (await ShowAsync(enteId)).GetProperty("statement").GetProperty("total").GetDecimal();

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;

    /// <summary>A codice fiscale of a body with a right check digit, unused so far.</summary>
    private static string NewCodiceFiscale()
    {
        var first = "9" + Random.Shared.NextInt64(0, 1_000_000_000).ToString("000000000", CultureInfo.InvariantCulture);
        return first + CodiceFiscaleEnte.ComputeCheckDigit(first).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Antivirus s.13 base, 10 clients from 1 March 2026 (EUR 15.00 a client a year): its key.</summary>
    private async Task<string> AddAntivirusAsync(string enteId)
    {
        var added = await OkAsync("servizio", "add", "--ente", enteId, "--service", "s.13", "--variant", "base", "--quantity", "10", "--from", "2026-03-01");
        return Text(added.GetProperty("object"), "key");
    }

    // ---- ente ----

    [Fact]
    public async Task EnteAdd_RegistersWithPopulation_RefusesATakenKey_AndAnUnknownKind()
    {
        var istat = AdminCluster.NewIstatCode();
        var name = "Comune di " + AdminCluster.Unique("Aggiunto");

        var added = await OkAsync("ente", "add", "--name", name, "--istat", istat, "--adhered", "2024-02-01", "--inhabitants", "3200", "--population-year", "2026");

        Assert.Equal((istat, $"Ente {istat} '{name}' registered."), (Text(added, "ente"), Text(added, "message")));
        var show = await ShowAsync(istat);
        Assert.Equal((name, "Comune", "2024-02-01"), (Text(show, "name"), Text(show, "kind"), Text(added, "adheredOn")));
        var listed = (await OkAsync("ente", "list", "--search", name)).EnumerateArray().Single();
        Assert.Equal(3200, listed.GetProperty("population").GetInt32());

        await RefusedAsync($"is already registered as {name}; use edit", "ente", "add", "--name", "Comune di Altro Nome", "--istat", istat);
        await BadInputAsync("'Regione'", "ente", "add", "--name", "Regione del Veneto", "--kind", "Regione", "--codice-fiscale", NewCodiceFiscale());
        await BadInputAsync("'2024-13-01'", "ente", "add", "--name", "Comune di Data", "--istat", AdminCluster.NewIstatCode(), "--adhered", "2024-13-01");
    }

    [Fact]
    public async Task EnteEdit_ChangesOnlyTheFieldsGiven_SameAgainIsNothingToDo_AndTheKeyOfABodyIsFixed()
    {
        var (enteId, _, _, name) = await cluster.NewEnteAsync();
        var renamed = name + " Terme";

        var edited = await OkAsync("ente", "edit", enteId, "--name", renamed, "--referente", "Anna Bianchi");

        Assert.Contains($"name '{name}'", Text(edited, "message"), StringComparison.Ordinal);
        Assert.Equal((renamed, "2023-01-01"), (Text(await ShowAsync(enteId), "name"), Text(edited, "adheredOn")));
        var (code, output, err) = await RunAsync("ente", "edit", enteId, "--name", renamed);
        Assert.True(code == CommandMode.ExitOk, err);
        Assert.Equal("Nothing changed.", output.Trim());

        var cf = NewCodiceFiscale();
        await OkAsync("ente", "add", "--name", "Unione dei Colli " + cf, "--kind", "UnioneDiComuni", "--codice-fiscale", cf, "--adhered", "2024-01-01");
        await RefusedAsync($"the codice fiscale is the key of ente {cf} and cannot change", "ente", "edit", cf, "--codice-fiscale", NewCodiceFiscale());
        await BadInputAsync("needs at least one of --name", "ente", "edit", enteId);
        await BadInputAsync("'2023/01/01'", "ente", "edit", enteId, "--adhered", "2023/01/01");
    }

    [Fact]
    public async Task EntePopulation_SetsTheYearsCount_RefusesAnUnknownEnte_AndAMalformedNumber()
    {
        var (enteId, _, _, name) = await cluster.NewEnteAsync();

        var set = await OkAsync("ente", "population", enteId, "--year", "2026", "--inhabitants", "5120");

        Assert.Equal($"Population of {enteId} at 1 January 2026: 5120.", Text(set, "message"));
        Assert.Contains(set.GetProperty("population").EnumerateArray(), p => p.GetProperty("year").GetInt32() == 2026 && p.GetProperty("inhabitants").GetInt32() == 5120);
        Assert.Equal(5120, (await OkAsync("ente", "list", "--search", name)).EnumerateArray().Single().GetProperty("population").GetInt32());

        await RefusedAsync("999998", "ente", "population", "999998", "--inhabitants", "10");
        await BadInputAsync("'tanti'", "ente", "population", enteId, "--inhabitants", "tanti");
        await BadInputAsync("--inhabitants", "ente", "population", enteId, "--year", "2026");
    }

    [Fact]
    public async Task EntePayer_FromABillingYear_EarlierYearsKeepTheirs_ItselfAgainLater()
    {
        var (capofila, _, _, _) = await cluster.NewEnteAsync();
        var (enteId, _, _, _) = await cluster.NewEnteAsync();

        var set = await OkAsync("ente", "payer", enteId, "--capofila", capofila, "--from-year", "2027");

        Assert.Equal($"{capofila} pays for {enteId} from 2027.", Text(set, "message"));
        Assert.Equal(capofila, Text(await ShowAsync(enteId, 2027), "payer"));
        Assert.Equal(enteId, Text(await ShowAsync(enteId, 2026), "payer"));
        await OkAsync("ente", "payer", enteId, "--itself", "--from-year", "2028");
        Assert.Equal(enteId, Text(await ShowAsync(enteId, 2028), "payer"));
        Assert.Equal(capofila, Text(await ShowAsync(enteId, 2027), "payer"));

        await RefusedAsync(enteId, "ente", "payer", enteId, "--capofila", enteId, "--from-year", "2027");
        await BadInputAsync("either --capofila KEY or --itself", "ente", "payer", enteId, "--capofila", capofila, "--itself");
        await BadInputAsync("'1850'", "ente", "payer", enteId, "--itself", "--from-year", "1850");
    }

    [Fact]
    public async Task EnteWithdraw_EndsItsObjects_RefusesADayBeforeTheAdhesion_AndAnItalianDate()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();

        await RefusedAsync("a withdrawal on 2022-06-01 must come after it", "ente", "withdraw", enteId, "--on", "2022-06-01");
        await BadInputAsync("'31/12/2026'", "ente", "withdraw", enteId, "--on", "31/12/2026");
        await BadInputAsync("--on", "ente", "withdraw", enteId);
        var withdrawn = await OkAsync("ente", "withdraw", enteId, "--on", "2026-12-31");

        Assert.Equal(("2026-12-31", $"{enteId} withdrawn on 2026-12-31."), (Text(withdrawn, "withdrawnOn"), Text(withdrawn, "message")));
        var show = await ShowAsync(enteId);
        Assert.Equal("2026-12-31", Text(show, "withdrawnOn"));
        Assert.Contains("ends 2026-12-31", Text(ObjectOf(show, mailbox), "detail"), StringComparison.Ordinal);
    }

    // ---- pec ----

    [Fact]
    public async Task PecAdd_ActivatesTheMailbox_RefusesAnAddressTaken_AndAnImpossibleDate()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        var (other, _, _, _) = await cluster.NewEnteAsync();
        var address = AdminCluster.Unique("protocollo").ToLowerInvariant() + "@pec.comune.example.it";

        var added = await OkAsync("pec", "add", "--ente", enteId, "--address", address, "--tier", "silver", "--from", "2026-03-01");

        Assert.Equal($"Mailbox {address} active from 2026-03-01.", Text(added, "message"));
        var mailbox = ObjectOf(await ShowAsync(enteId), address);
        Assert.Equal(("PEC", "Active"), (Text(mailbox, "kind"), Text(mailbox, "status")));
        Assert.StartsWith("silver from 2026-03-01", Text(mailbox, "detail"), StringComparison.Ordinal);
        Assert.Equal(address, Text(added.GetProperty("object"), "key"));

        await RefusedAsync(address, "pec", "add", "--ente", other, "--address", address, "--from", "2026-03-01");
        await BadInputAsync("'2026-02-30'", "pec", "add", "--ente", enteId, "--address", "altra@pec.comune.example.it", "--from", "2026-02-30");
        await BadInputAsync("--address", "pec", "add", "--ente", enteId);
    }

    [Fact]
    public async Task PecTier_MovesTheMailbox_RefusesATierTheListinoDoesNotHave()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();

        var moved = await OkAsync("pec", "tier", "--address", mailbox.ToUpperInvariant(), "--tier", "gold", "--from", "2026-11-01");

        Assert.Equal($"{mailbox} is on gold from 2026-11-01.", Text(moved, "message"));
        Assert.StartsWith("gold from 2025-01-15", Text(ObjectOf(await ShowAsync(enteId), mailbox), "detail"), StringComparison.Ordinal);
        await RefusedAsync("platinum", "pec", "tier", "--address", mailbox, "--tier", "platinum", "--from", "2026-11-01");
        await RefusedAsync("nessuna@pec.comune.example.it", "pec", "tier", "--address", "nessuna@pec.comune.example.it", "--tier", "gold");
        await BadInputAsync("--tier", "pec", "tier", "--address", mailbox);
    }

    [Fact]
    public async Task PecSpace_AddsGigabytesPricedPerGb_RefusesADayBeforeTheActivation()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();
        var before = await StatementTotalAsync(enteId);

        var set = await OkAsync("pec", "space", "--address", mailbox, "--gb", "5", "--from", "2026-06-01");

        Assert.Equal($"{mailbox}: extra space 5 GB from 2026-06-01.", Text(set, "message"));
        // 5 GB x EUR 4.00 a year, June to December: 20.00 x 7 / 12 = 11.67.
        Assert.Equal(before + 11.67m, await StatementTotalAsync(enteId));
        await RefusedAsync("2024-06-01", "pec", "space", "--address", mailbox, "--gb", "5", "--from", "2024-06-01");
        await BadInputAsync("'cinque'", "pec", "space", "--address", mailbox, "--gb", "cinque");
    }

    [Fact]
    public async Task PecConservazione_AddsGigabytesPricedPerGb_RefusesADayBeforeTheActivation()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();
        var before = await StatementTotalAsync(enteId);

        var set = await OkAsync("pec", "conservazione", "--address", mailbox, "--gb", "2", "--from", "2026-07-01");

        Assert.Equal($"{mailbox}: conservazione 2 GB from 2026-07-01.", Text(set, "message"));
        // 2 GB x EUR 98.00 a year, July to December: 196.00 x 6 / 12 = 98.00.
        Assert.Equal(before + 98.00m, await StatementTotalAsync(enteId));
        await RefusedAsync("2024-06-01", "pec", "conservazione", "--address", mailbox, "--gb", "2", "--from", "2024-06-01");
        await BadInputAsync("'-1'", "pec", "conservazione", "--address", mailbox, "--gb", "-1");
    }

    [Fact]
    public async Task PecDisdetta_EndsTheMailboxOnFirstJanuary_RefusesASecondOne_AndADayAfterToday()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();

        await RefusedAsync("2026-12-01", "pec", "disdetta", "--address", mailbox, "--evidence", "PROT-1", "--received", "2026-12-01");
        var recorded = await OkAsync("pec", "disdetta", "--address", mailbox, "--evidence", "PROT-2026-77", "--received", "2026-11-18");

        Assert.Equal($"Disdetta recorded, ending on 2027-01-01: {mailbox}", Text(recorded, "message"));
        var row = ObjectOf(await ShowAsync(enteId), mailbox);
        Assert.Equal("DisdettaReceived", Text(row, "status"));
        Assert.Contains("disdetta 2026-11-18 (PROT-2026-77), ends 2027-01-01", Text(row, "detail"), StringComparison.Ordinal);
        await RefusedAsync("already has a disdetta received on 2026-11-18", "pec", "disdetta", "--address", mailbox, "--evidence", "PROT-2", "--received", "2026-11-19");
        await BadInputAsync("--evidence", "pec", "disdetta", "--address", mailbox);
    }

    [Fact]
    public async Task Refusal_IsSaidInItalianByDefault_InEnglishWithLangEn_AndCarriesItsCodeInJson()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();
        await OkAsync("pec", "disdetta", "--address", mailbox, "--evidence", "PROT-1", "--received", "2026-11-18");
        string[] again = ["pec", "disdetta", "--address", mailbox, "--evidence", "PROT-2", "--received", "2026-11-19"];

        var (code, output, err) = await RunInLanguageAsync(null, again);
        Assert.Equal(CommandMode.ExitFailed, code);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"cst: casella PEC {mailbox} ha già una disdetta ricevuta il 18/11/2026; un'altra il 19/11/2026 è rifiutata", err.Trim());

        (code, _, err) = await RunInLanguageAsync("it_IT.UTF-8", ["--lang", "en", .. again]);
        Assert.Equal(CommandMode.ExitFailed, code);
        Assert.Equal($"cst: PEC mailbox {mailbox} already has a disdetta received on 2026-11-18; another on 2026-11-19 is refused", err.Trim());

        (code, output, _) = await RunInLanguageAsync(null, [.. again, "--json"]);
        Assert.Equal(CommandMode.ExitFailed, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("disdetta.twice", json.GetProperty("code").GetString());
        Assert.StartsWith($"casella PEC {mailbox} ha già una disdetta", json.GetProperty("error").GetString(), StringComparison.Ordinal);

        // A withdrawn ente refuses new objects from its withdrawal on, in the operator's language too.
        await OkAsync("ente", "withdraw", enteId, "--on", "2026-06-30");
        (code, _, err) = await RunInLanguageAsync(null, "servizio", "add", "--ente", enteId, "--service", "s.13", "--variant", "base", "--quantity", "1", "--from", "2026-07-01");
        Assert.True(code == CommandMode.ExitFailed, err);
        Assert.Contains("30/06/2026", err, StringComparison.Ordinal);
        Assert.DoesNotContain("withdrew", err, StringComparison.Ordinal);
    }

    // ---- firma ----

    [Fact]
    public async Task FirmaIssue_IssuesTheDevice_RefusesASerialTaken_AndAnUnknownKind()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        var serial = AdminCluster.Unique("FR-").ToUpperInvariant();

        var issued = await OkAsync("firma", "issue", "--ente", enteId, "--serial", serial, "--holder", "Anna Verdi", "--kind", "FirmaRemota", "--issued", "2026-11-02");

        Assert.Equal($"Device {serial} issued; certificates expire on 2029-11-02.", Text(issued, "message"));
        var device = ObjectOf(await ShowAsync(enteId), serial);
        Assert.Equal(("Firma", "Valid", "FirmaRemota Anna Verdi, expires 2029-11-02"), (Text(device, "kind"), Text(device, "status"), Text(device, "detail")));
        await RefusedAsync(serial, "firma", "issue", "--ente", enteId, "--serial", serial, "--holder", "Luca Neri", "--issued", "2026-11-02");
        await BadInputAsync("'Smartcard'", "firma", "issue", "--ente", enteId, "--serial", "X-1", "--holder", "Luca Neri", "--kind", "Smartcard");
    }

    [Fact]
    public async Task FirmaRenew_GivesThreeYearsFromTheRenewal_RefusesADayAfterToday()
    {
        var (enteId, _, device, _) = await cluster.NewEnteAsync();

        await RefusedAsync("2026-11-27", "firma", "renew", "--serial", device, "--on", "2026-11-27");
        var renewed = await OkAsync("firma", "renew", "--serial", device, "--on", "2026-11-20");

        Assert.Equal($"{device} renewed; expires on 2029-11-20.", Text(renewed, "message"));
        Assert.Contains("expires 2029-11-20", Text(ObjectOf(await ShowAsync(enteId), device), "detail"), StringComparison.Ordinal);
        await BadInputAsync("'domani'", "firma", "renew", "--serial", device, "--on", "domani");
    }

    [Fact]
    public async Task FirmaRevoke_RevokesWithTheReason_RefusesADayAfterToday_AndAnUnknownReason()
    {
        var (enteId, _, device, _) = await cluster.NewEnteAsync();

        await RefusedAsync("2026-12-01", "firma", "revoke", "--serial", device, "--reason", "Stolen", "--on", "2026-12-01");
        await BadInputAsync("'Broken'", "firma", "revoke", "--serial", device, "--reason", "Broken");
        // No reason assumed: without --reason the line is refused naming the reasons it accepts, and nothing is revoked.
        await BadInputAsync("--reason Lost|Stolen|HolderLeft|Other", "firma", "revoke", "--serial", device, "--on", "2026-11-10");
        var revoked = await OkAsync("firma", "revoke", "--serial", device, "--reason", "stolen", "--on", "2026-11-10");

        Assert.Equal($"{device} revoked on 2026-11-10.", Text(revoked, "message"));
        var row = ObjectOf(await ShowAsync(enteId), device);
        Assert.Equal("Revoked", Text(row, "status"));
        Assert.Contains("revoked 2026-11-10 (Stolen)", Text(row, "detail"), StringComparison.Ordinal);
    }

    // ---- servizio ----

    [Fact]
    public async Task ServizioAdd_ActivatesTheService_PricedFromItsMonths_RefusesAnUnknownService()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        var before = await StatementTotalAsync(enteId);

        var key = await AddAntivirusAsync(enteId);

        Assert.Equal($"{enteId}/s.13/1", key);
        var row = ObjectOf(await ShowAsync(enteId), key);
        Assert.Equal(("Service", "Active"), (Text(row, "kind"), Text(row, "status")));
        Assert.EndsWith("base x10 from 2026-03-01", Text(row, "detail"), StringComparison.Ordinal);
        // 10 clients x EUR 15.00 a year, March to December: 150.00 x 10 / 12 = 125.00.
        Assert.Equal(before + 125.00m, await StatementTotalAsync(enteId));
        await RefusedAsync("s.99", "servizio", "add", "--ente", enteId, "--service", "s.99", "--label", "2", "--from", "2026-03-01");
        await BadInputAsync("'dieci'", "servizio", "add", "--ente", enteId, "--service", "s.13", "--variant", "base", "--label", "3", "--quantity", "dieci");
    }

    [Fact]
    public async Task ServizioQuantity_AddsClientsFromADay_RefusesAFractionOfAClient_AndAMalformedKey()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        var key = await AddAntivirusAsync(enteId);
        var before = await StatementTotalAsync(enteId);

        var changed = await OkAsync("servizio", "quantity", "--key", key, "--quantity", "12", "--from", "2026-07-01");

        Assert.Equal($"{key}: quantity 12 from 2026-07-01.", Text(changed, "message"));
        Assert.Contains("x12", Text(ObjectOf(await ShowAsync(enteId), key), "detail"), StringComparison.Ordinal);
        // The 2 clients added in July, to December: 2 x 15.00 x 6 / 12 = 15.00.
        Assert.Equal(before + 15.00m, await StatementTotalAsync(enteId));
        await RefusedAsync("10.5", "servizio", "quantity", "--key", key, "--quantity", "10.5", "--from", "2026-08-01");
        await BadInputAsync("'nonsense'", "servizio", "quantity", "--key", "nonsense", "--quantity", "3");
    }

    [Fact]
    public async Task ServizioConsumption_RecordsDaysOfTheComponentNamed_AsksWhichOfSeveral_RefusesADayAfterToday()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        var antivirus = await AddAntivirusAsync(enteId);
        var globalService = Text((await OkAsync("servizio", "add", "--ente", enteId, "--service", "s.15", "--from", "2026-01-01")).GetProperty("object"), "key");
        var before = await StatementTotalAsync(enteId);

        await BadInputAsync("giornata-base or giornata-avanzato", "servizio", "consumption", "--key", globalService, "--entry", "WO-1", "--quantity", "2");
        await BadInputAsync("'giornata-premium'", "servizio", "consumption", "--key", globalService, "--entry", "WO-1", "--quantity", "2", "--component", "giornata-premium");
        await RefusedAsync("2026-11-30", "servizio", "consumption", "--key", globalService, "--entry", "WO-1", "--quantity", "2", "--component", "giornata-base", "--on", "2026-11-30");
        await RefusedAsync("no consumption component", "servizio", "consumption", "--key", antivirus, "--entry", "WO-1", "--quantity", "2");
        var recorded = await OkAsync("servizio", "consumption", "--key", globalService, "--entry", "WO-1", "--quantity", "2", "--component", "giornata-base", "--on", "2026-11-10");

        Assert.Equal($"Consumption WO-1 recorded for {globalService}.", Text(recorded, "message"));
        // 2 days of Global Service base at EUR 288.00.
        Assert.Equal(before + 576.00m, await StatementTotalAsync(enteId));
    }

    [Fact]
    public async Task ServizioDisdetta_EndsTheServiceOnFirstJanuary_RefusesASecondOne()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        var key = await AddAntivirusAsync(enteId);

        var recorded = await OkAsync("servizio", "disdetta", "--key", key, "--evidence", "PROT-9", "--received", "2026-11-19");

        Assert.Equal($"Disdetta recorded, ending on 2027-01-01: {key}", Text(recorded, "message"));
        var row = ObjectOf(await ShowAsync(enteId), key);
        Assert.Equal("DisdettaReceived", Text(row, "status"));
        Assert.Contains("ends 2027-01-01", Text(row, "detail"), StringComparison.Ordinal);
        await RefusedAsync("already has a disdetta received on 2026-11-19", "servizio", "disdetta", "--key", key, "--evidence", "PROT-10");
        await BadInputAsync("'19/11/2026'", "servizio", "disdetta", "--key", key, "--evidence", "PROT-10", "--received", "19/11/2026");
    }

    [Fact]
    public async Task ServizioCease_EndsTheServiceOnTheDay_ProRated_RefusesADayBeforeTheActivation()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        var key = await AddAntivirusAsync(enteId);
        var before = await StatementTotalAsync(enteId);

        await RefusedAsync("cannot cease on 2026-02-01", "servizio", "cease", "--key", key, "--on", "2026-02-01");
        await BadInputAsync("--on", "servizio", "cease", "--key", key);
        var ceased = await OkAsync("servizio", "cease", "--key", key, "--on", "2026-10-01");

        Assert.Equal($"{key} ends on 2026-10-01.", Text(ceased, "message"));
        Assert.Contains("ends 2026-10-01", Text(ObjectOf(await ShowAsync(enteId), key), "detail"), StringComparison.Ordinal);
        // March to September instead of March to December: 150.00 x 7 / 12 = 87.50 instead of 125.00.
        Assert.Equal(before - 37.50m, await StatementTotalAsync(enteId));
    }

    [Theory]
    [InlineData("ente add", "--population-year", "--address")]
    [InlineData("ente payer", "--itself", "--tier")]
    [InlineData("pec add", "yyyy-MM-dd", "--holder")]
    [InlineData("pec space", "--gb", "--tier")]
    [InlineData("firma revoke", "HolderLeft", "--gb")]
    [InlineData("servizio consumption", "--component", "--address")]
    public async Task VerbHelp_ListsThatVerbsOptionsWithTheirFormats(string verb, string listed, string notListed)
    {
        var (code, output, err) = await RunAsync([.. verb.Split(' '), "--help"]);

        Assert.True(code == CommandMode.ExitOk, $"exit {code}: {err}");
        Assert.Contains($"cst {verb}", output, StringComparison.Ordinal);
        Assert.Contains(listed, output, StringComparison.Ordinal);
        Assert.DoesNotContain(notListed, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionOfAnotherVerb_IsRefusedNamingWhereItGoes()
    {
        await BadInputAsync("pec tier does not take '--gb'", "pec", "tier", "--address", "a@pec.example.it", "--gb", "3");
    }

    /// <summary>
    /// The README's first session, entirely in command mode: the ente and its objects set up with the verbs (the demo
    /// data's part), then find the ente, record a disdetta, see the deadline list change, run a preview and export it.
    /// </summary>
    [Fact]
    public async Task ReadmeFirstSession_ReplayedInCommandMode()
    {
        var istat = AdminCluster.NewIstatCode();
        var name = "Comune di Abano Terme " + AdminCluster.Unique("t");
        var mailbox = AdminCluster.Unique("protocollo").ToLowerInvariant() + "@pec.comune.abano-terme.pd.it";
        await OkAsync("ente", "add", "--name", name, "--istat", istat, "--adhered", "2021-01-01", "--inhabitants", "19800", "--population-year", "2026");
        await OkAsync("pec", "add", "--ente", istat, "--address", mailbox, "--from", "2025-01-01");
        await OkAsync("servizio", "add", "--ente", istat, "--service", "s.13", "--variant", "base", "--quantity", "20", "--from", "2025-01-01");

        // 1. Find an ente: by part of its name, then its mailboxes, devices and services and the statement of the year.
        var found = (await OkAsync("ente", "list", "--search", "abano")).EnumerateArray().Single(e => Text(e, "ente") == istat);
        Assert.Equal(name, Text(found, "name"));
        var (code, output, err) = await RunAsync("ente", "show", istat);
        Assert.True(code == 0, err);
        Assert.Contains(mailbox, output, StringComparison.Ordinal);
        // Quota above 10,000 inhabitants EUR 1,500.00 + a standard mailbox 7.50 + 20 antivirus clients x 15.00 = 1,807.50.
        Assert.Contains("Statement 2026: EUR 1,807.50", output, StringComparison.Ordinal);
        var deadlines = await OkAsync("deadlines", "--days", "45");
        Assert.Contains(deadlines.EnumerateArray(), d => Text(d, "object") == mailbox && Text(d, "kind") == "DisdettaDeadline");

        // 2. Record a disdetta of the mailbox, received today.
        (code, output, err) = await RunAsync("pec", "disdetta", "--address", mailbox, "--evidence", "PROT-2026-1234");
        Assert.True(code == 0, err);
        Assert.Equal($"Disdetta recorded, ending on 2027-01-01: {mailbox}", output.Trim());
        Assert.Equal("DisdettaReceived", Text(ObjectOf(await ShowAsync(istat), mailbox), "status"));

        // 3. The deadline list: the disdetta warning and deadline are gone, the cessation on 1 January is listed.
        var mine = (await OkAsync("deadlines", "--days", "45")).EnumerateArray().Where(d => Text(d, "object") == mailbox).ToList();
        Assert.Equal([("2027-01-01", "Cessation")], mine.Select(d => (Text(d, "due"), Text(d, "kind"))));

        // 4. A preview billing of this year (other tests' enti without a population are listed as not billed: exit 1).
        (code, output, err) = await RunAsync("billing", "preview", "--year", "2026");
        Assert.True(code == 0 || (code == 1 && !err.Contains(istat, StringComparison.Ordinal)), $"exit {code}: {err}");
        Assert.Contains("2026 preview", output, StringComparison.Ordinal);
        Assert.Contains("cst: billing 2026 preview: 100% (", err, StringComparison.Ordinal);

        // 5. Export it: the statements CSV holds the ente's lines, which add up to its statement.
        var dir = Path.Combine(Path.GetTempPath(), $"cst-session-{Guid.NewGuid():N}");
        try
        {
            (code, _, err) = await RunAsync("billing", "export", "--year", "2026", "--format", "all", "--out", dir);
            Assert.True(code == 0, err);
            var csv = BillingExport.ParseCsv(await File.ReadAllTextAsync(Path.Combine(dir, "rendiconti-2026-preview-r0.csv"), Encoding.UTF8));
            var (payer, amount) = (csv[0].IndexOf("pagatore"), csv[0].IndexOf("importo"));
            var due = csv.Skip(1).Where(r => r[payer] == istat).Sum(r => decimal.Parse(r[amount], NumberStyles.Number, CultureInfo.GetCultureInfo("it-IT")));
            Assert.Equal(1807.50m, due);
            Assert.True(File.Exists(Path.Combine(dir, "rendiconti-2026-preview-r0", BillingExport.TextFileName(istat, 2026, BillingRunMode.Preview, 0))));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
