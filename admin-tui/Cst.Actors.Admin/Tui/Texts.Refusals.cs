using System.Globalization;
using System.Text.RegularExpressions;
using Cst.Actors.Domain;
using R = Cst.Actors.Domain.RefusalCode;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// The domain's refusals by their stable code (<see cref="RefusalCode"/>) with the values they name: Italian from
/// the code, English as the grains write it (each English text gives back the grain's sentence word for word).
/// </summary>
public sealed partial class Texts
{
    /// <summary>Each refusal code's sentence in this language, from the values the code documents.</summary>
    public required IReadOnlyDictionary<string, Func<IReadOnlyList<string>, string>> Refusals { get; init; }

    /// <summary>How a value the grains name in English (a subject, a field, a date) reads in this language.</summary>
    public required Func<string, string> RefusalValue { get; init; }

    /// <summary>The refusal in this language when its code is known here; otherwise null (show the message as it is).</summary>
    public string? Refusal(string? code, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (code is null || !Refusals.TryGetValue(code, out var render))
        {
            return null;
        }

        try
        {
            return render([.. args.Select(RefusalValue)]);
        }
        catch (ArgumentOutOfRangeException)
        {
            // A silo of another version sent fewer values than this client expects: its own sentence is still right.
            return null;
        }
    }

    /// <summary>
    /// A refusal stored as the grains' English sentence without its code (a billing run's failed ente, a statement
    /// that cannot be computed) in this language: the sentence is matched against each code's English text, its
    /// values taken back and said again from the code. Null when no code's sentence matches, or in English.
    /// </summary>
    public string? FromEnglish(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Code == "en")
        {
            return null;
        }

        foreach (var (code, pattern, count) in EnglishSentences.Value)
        {
            if (pattern.Match(message.Trim()) is { Success: true } m)
            {
                return Refusal(code, [.. Enumerable.Range(0, count).Select(i => m.Groups["a" + i.ToString(CultureInfo.InvariantCulture)] is { Success: true } g ? g.Value : string.Empty)]);
            }
        }

        return null;
    }

    /// <summary>Each code's English sentence as a pattern whose groups a0, a1... take back the values it names.</summary>
    private static readonly Lazy<IReadOnlyList<(string Code, Regex Pattern, int Count)>> EnglishSentences = new(() =>
    {
        var patterns = new List<(string, Regex, int)>();
        string[] marks = [.. Enumerable.Range(0, 10).Select(i => $"\u0001{i}\u0002")];
        foreach (var (code, render) in EnglishRefusals)
        {
            string text;
            try
            {
                text = render(marks);
            }
            catch (FormatException)
            {
                // A sentence that reads one of its values as a number: left to the rules.
                continue;
            }

            var seen = new HashSet<int>();
            var count = 0;
            var pattern = Regex.Replace(Regex.Escape(text), "\u0001(\\d)\u0002", m =>
            {
                var i = m.Groups[1].Value[0] - '0';
                count = Math.Max(count, i + 1);
                return seen.Add(i) ? $"(?<a{i}>.+?)" : $"\\k<a{i}>";
            });
            patterns.Add((code, new Regex("^" + pattern + "\\.?$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100)), count));
        }

        return patterns;
    });

    private static Dictionary<string, Func<IReadOnlyList<string>, string>> EnglishRefusals => new(StringComparer.Ordinal)
    {
        [R.ActivationAlready] = a => $"{a[0]} is already active from {a[1]}; it cannot be activated again on {a[2]}",
        [R.ActivationAfterEnd] = a => $"{a[0]} was ended on {a[1]} before being activated; request it again",
        [R.ActivationBeforeRequest] = a => $"{a[0]} cannot be activated on {a[1]}, before it was requested on {a[2]}",
        [R.ActivationBeforeAdhesion] = a => $"{a[0]} cannot be activated on {a[1]}, before the ente adhered to the CST on {a[2]}",
        [R.DisdettaTwice] = a => $"{a[0]} already has a disdetta received on {a[1]}; another on {a[2]} is refused",
        [R.DisdettaOtherEvidence] = a => $"{a[0]} already has a disdetta received on {a[1]} with evidence '{a[2]}'; the same disdetta with evidence '{a[3]}' is refused",
        [R.DisdettaNotActive] = a => $"{a[0]} is requested but not active; a disdetta on {a[1]} has nothing to end",
        [R.DisdettaBeforeActivation] = a => $"disdetta of {a[0]} received on {a[1]}, before its activation on {a[2]}",
        [R.DisdettaAfterCessation] = a => $"{a[0]} ceased on {a[1]}; a disdetta received on {a[2]} is refused",
        [R.CessationTooEarly] = a => $"{a[0]} cannot cease on {a[1]}: it is active from {a[2]}, and a service ends at least one day after it starts",
        [R.FactAfterToday] = a => $"{a[0]}: " + a[1] switch
        {
            "DisdettaReceived" => "a disdetta cannot be received",
            "Consumption" => "consumption cannot be recorded",
            "Renewal" => "it cannot be renewed",
            _ => "it cannot be revoked",
        } + $" on {a[2]}, after today {a[3]}; a fact that happened is dated when it happened",
        [R.PecAlreadyRequested] = a => $"{a[0]} was already requested on {a[1]} for ente {a[2]} ({a[3]}); a different request for the same address is refused",
        [R.FirmaAlreadyIssued] = a => $"{a[0]} was already issued on {a[1]} to {a[2]} of ente {a[3]}; a different issue for the same serial is refused",
        [R.FirmaRevokedAlready] = a => $"{a[0]} was already revoked on {a[1]} ({a[2]}); another revocation on {a[3]} is refused",
        [R.FirmaRevocationOutsideValidity] = a => $"{a[0]} can be revoked only while its certificates are valid, from {a[1]} to {a[2]}; a revocation on {a[3]} is refused",
        [R.CatalogueNoVersion] = a => $"listino '{a[0]}' has no version in force on {a[1]}; nothing can be subscribed on that day",
        [R.CatalogueUnknownService] = a => $"service '{a[0]}' is not in listino '{a[1]}' version '{a[2]}'; known services: {a[3]}",
        [R.CatalogueNoVariants] = a => $"service {a[0]} ({a[1]}) has no variants, so variant '{a[2]}' is refused",
        [R.CatalogueUnknownVariant] = a => $"service {a[0]} ({a[1]}) has no variant '{a[2]}'; choose one of: {a[3]}",
        [R.CatalogueNoPecService] = a => $"listino '{a[0]}' names no PEC mailbox service in the version in force on {a[1]}, so no PEC mailbox can be recorded on that day",
        [R.CatalogueUnknownTier] = a => $"PEC tier '{a[0]}' is unknown in listino '{a[1]}'; it must be one of {a[2]}",
        [R.EnteAlreadyRegistered] = a => $"{a[0]} is already registered as {a[1]}; use edit",
        [R.EnteNotRegistered] = a => $"{a[0]} is not registered",
        [R.EnteUnknown] = a => $"There is no ente '{a[0]}'.",
        [R.EnteOwnCapofila] = a => $"{a[0]} cannot be its own capofila; leave the capofila empty for an ente that pays itself",
        [R.EnteCapofilaUnregistered] = a => $"capofila {a[0]} of {a[1]} is not a registered ente; register it first",
        [R.EnteWithdrewAlready] = a => $"{a[0]} already withdrew on {a[1]}; another withdrawal on {a[2]} is refused",
        [R.EnteWithdrawalBeforeAdhesion] = a => $"{a[0]} adhered on {a[1]}; a withdrawal on {a[2]} must come after it",
        [R.EnteObjectBeforeAdhesion] = a => $"{a[0]} {a[1]} cannot be active from {a[2]}, before {a[3]} adhered to the CST on {a[4]}",
        [R.EnteObjectAfterWithdrawal] = a => $"{a[0]} {a[1]} cannot be active from {a[2]}: {a[3]} withdrew from the CST on {a[4]}",
        [R.IstatEmpty] = _ => "ISTAT code is empty; it must be 6 digits",
        [R.IstatNotDigit] = a => $"ISTAT code {a[0]} must be 6 digits; it contains {a[1]} at position {a[2]}",
        [R.IstatLength] = a => $"ISTAT code {a[0]} must be 6 digits; it has {a[1]}"
            + (Shorter(a[1], 6) ? " (a spreadsheet may have dropped its leading zeros)" : string.Empty),
        [R.IstatProvinceZero] = a => $"ISTAT code {a[0]} has province code 000, which no province has",
        [R.IstatMunicipalityZero] = a => $"ISTAT code {a[0]} has municipality number 000; municipalities are numbered from 001 in each province",
        [R.CfEmpty] = _ => "codice fiscale is empty; an ente's codice fiscale has 11 digits",
        [R.CfPersonal] = a => $"codice fiscale {a[0]} is a person's codice fiscale (16 letters and digits); an ente has an 11-digit numeric codice fiscale",
        [R.CfVatPrefix] = a => $"codice fiscale {a[0]} carries the VAT country prefix {a[1]}; write the 11 digits without it",
        [R.CfNotDigit] = a => $"codice fiscale {a[0]} contains "
            + a[1] switch { "space" => "a space", "letter" => $"the letter {a[2]}", _ => $"the character {a[2]}" }
            + $" at position {a[3]}; an ente's codice fiscale has digits only",
        [R.CfLength] = a => $"codice fiscale {a[0]} has {a[1]} {(a[1] == "1" ? "digit" : "digits")}; it must have exactly 11",
        [R.CfZeros] = a => $"codice fiscale {a[0]} is all zeros, a placeholder rather than a real codice fiscale",
        [R.CfCheckDigit] = a => $"codice fiscale {a[0]} has check digit {a[1]} where {a[2]} was expected",
        [R.RangeNegative] = a => $"{a[0]} is {a[1]}; it cannot be negative",
        [R.RangeNotPositive] = a => $"{a[0]} is {a[1]}; it must be greater than zero",
        [R.RangeTooLarge] = a => $"{a[0]} is {a[1]}; it is too large: at most {a[2]}",
        [R.RangeCents] = a => $"{a[0]} is {a[1]}; an amount in euros has at most two decimals (cents)",
        [R.RangeWholeUnits] = a => $"{a[0]} is {a[1]}; it is counted in whole units ({a[2]}); give a whole number",
        [R.RangeDate] = a => $"{a[0]} is {a[1]}; it must be between {a[2]} and {a[3]}",
        [R.RangeNotBefore] = a => $"{a[0]} is {a[1]}; it cannot be before the {a[2]} {a[3]}",
        [R.RunPreviewNeverClosed] = _ => "a preview is never closed; start the final run once the year is over",
        [R.RunCloseFailed] = a => $"{a[1]} ente(i) could not be billed in revision {a[2]} ({a[3]}{(a[4] == "0" ? string.Empty : $" and {a[4]} more")}; "
            + "the run's status says why); correct them and start the run again with recompute before closing",
        [R.RunFinalTooEarly] = a => $"the final run of {a[1]} starts once the year is over (from 1 January {a[2]}); today is {a[3]}: make a preview",
        [R.RunPreviewTooFar] = a => $"a preview on {a[1]} can look ahead to {a[2]} at most, not {a[3]}",
    };

    // Italian sentences name the object first and avoid agreeing in gender with it (casella, dispositivo, servizio).
    private static Dictionary<string, Func<IReadOnlyList<string>, string>> ItalianRefusals => new(StringComparer.Ordinal)
    {
        [R.ActivationAlready] = a => $"{a[0]}: attivazione già registrata dal {a[1]}; un'altra il {a[2]} è rifiutata",
        [R.ActivationAfterEnd] = a => $"{a[0]}: terminato il {a[1]} prima dell'attivazione; fare una nuova richiesta",
        [R.ActivationBeforeRequest] = a => $"{a[0]}: l'attivazione il {a[1]} è prima della richiesta del {a[2]}",
        [R.ActivationBeforeAdhesion] = a => $"{a[0]}: l'attivazione il {a[1]} è prima dell'adesione dell'ente al CST il {a[2]}",
        [R.DisdettaTwice] = a => $"{a[0]} ha già una disdetta ricevuta il {a[1]}; un'altra il {a[2]} è rifiutata",
        [R.DisdettaOtherEvidence] = a => $"{a[0]} ha già una disdetta ricevuta il {a[1]} con prova '{a[2]}'; la stessa disdetta con prova '{a[3]}' è rifiutata",
        [R.DisdettaNotActive] = a => $"{a[0]}: la richiesta non è ancora attiva; una disdetta il {a[1]} non ha nulla da chiudere",
        [R.DisdettaBeforeActivation] = a => $"{a[0]}: disdetta ricevuta il {a[1]}, prima dell'attivazione del {a[2]}",
        [R.DisdettaAfterCessation] = a => $"{a[0]}: cessazione il {a[1]}; una disdetta ricevuta il {a[2]} è rifiutata",
        [R.CessationTooEarly] = a => $"{a[0]}: la cessazione il {a[1]} è rifiutata: l'attivazione è del {a[2]} e un servizio termina almeno un giorno dopo l'inizio",
        [R.FactAfterToday] = a => $"{a[0]}: " + a[1] switch
        {
            "DisdettaReceived" => "una disdetta non può essere ricevuta",
            "Consumption" => "un consumo non può essere registrato",
            "Renewal" => "un rinnovo non può essere registrato",
            _ => "una revoca non può essere registrata",
        } + $" il {a[2]}, dopo oggi ({a[3]}); un fatto avvenuto si data al giorno in cui è avvenuto",
        [R.PecAlreadyRequested] = a => $"{a[0]}: già richiesta il {a[1]} per l'ente {a[2]}; un'altra richiesta per lo stesso indirizzo è rifiutata",
        [R.FirmaAlreadyIssued] = a => $"{a[0]}: già consegnato il {a[1]} a {a[2]} dell'ente {a[3]}; un'altra emissione con lo stesso seriale è rifiutata",
        [R.FirmaRevokedAlready] = a => $"{a[0]}: già revocato il {a[1]} ({Italian.Word(a[2])}); un'altra revoca il {a[3]} è rifiutata",
        [R.FirmaRevocationOutsideValidity] = a => $"{a[0]}: la revoca si registra solo mentre i certificati sono validi, dal {a[1]} al {a[2]}; una revoca il {a[3]} è rifiutata",
        [R.CatalogueNoVersion] = a => $"il listino '{a[0]}' non ha una versione in vigore il {a[1]}: quel giorno non si può sottoscrivere nulla",
        [R.CatalogueUnknownService] = a => $"il servizio '{a[0]}' non è nel listino '{a[1]}' versione '{a[2]}'; servizi del listino: {a[3]}",
        [R.CatalogueNoVariants] = a => $"il servizio {a[0]} ({a[1]}) non ha varianti: la variante '{a[2]}' è rifiutata",
        [R.CatalogueUnknownVariant] = a => $"il servizio {a[0]} ({a[1]}) non ha la variante '{a[2]}'; scegliere tra: {a[3]}",
        [R.CatalogueNoPecService] = a => $"il listino '{a[0]}' non ha un servizio di caselle PEC nella versione in vigore il {a[1]}: quel giorno non si può registrare una casella PEC",
        [R.CatalogueUnknownTier] = a => $"il taglio PEC '{a[0]}' non esiste nel listino '{a[1]}'; scegliere tra: {a[2]}",
        [R.EnteAlreadyRegistered] = a => $"{a[0]} è già registrato come {a[1]}; usare la modifica",
        [R.EnteNotRegistered] = a => $"{a[0]} non è registrato",
        [R.EnteUnknown] = a => $"Non esiste l'ente '{a[0]}'.",
        [R.EnteOwnCapofila] = a => $"{a[0]} non può essere capofila di se stesso: lasciare vuoto il capofila se l'ente paga per sé",
        [R.EnteCapofilaUnregistered] = a => $"il capofila {a[0]} di {a[1]} non è un ente registrato: registrarlo prima",
        [R.EnteWithdrewAlready] = a => $"{a[0]} ha già receduto il {a[1]}; un altro recesso il {a[2]} è rifiutato",
        [R.EnteWithdrawalBeforeAdhesion] = a => $"{a[0]} ha aderito il {a[1]}; il recesso il {a[2]} deve venire dopo",
        [R.EnteObjectBeforeAdhesion] = a => $"{ItalianKind(a[0])} {a[1]}: l'attivazione dal {a[2]} è prima dell'adesione di {a[3]} al CST il {a[4]}",
        [R.EnteObjectAfterWithdrawal] = a => $"{ItalianKind(a[0])} {a[1]}: l'attivazione dal {a[2]} è rifiutata, {a[3]} ha receduto dal CST il {a[4]}",
        [R.IstatEmpty] = _ => "il codice ISTAT è vuoto: deve avere 6 cifre",
        [R.IstatNotDigit] = a => $"il codice ISTAT {a[0]} deve avere 6 cifre; contiene {a[1]} alla posizione {a[2]}",
        [R.IstatLength] = a => $"il codice ISTAT {a[0]} deve avere 6 cifre; ne ha {a[1]}"
            + (Shorter(a[1], 6) ? " (un foglio di calcolo può aver tolto gli zeri iniziali)" : string.Empty),
        [R.IstatProvinceZero] = a => $"il codice ISTAT {a[0]} ha il codice di provincia 000, che nessuna provincia ha",
        [R.IstatMunicipalityZero] = a => $"il codice ISTAT {a[0]} ha il numero di comune 000: i comuni sono numerati da 001 in ogni provincia",
        [R.CfEmpty] = _ => "il codice fiscale è vuoto: quello di un ente ha 11 cifre",
        [R.CfPersonal] = a => $"il codice fiscale {a[0]} è di una persona (16 lettere e cifre); un ente ha un codice fiscale di 11 cifre",
        [R.CfVatPrefix] = a => $"il codice fiscale {a[0]} ha il prefisso IVA {a[1]}: scrivere le 11 cifre senza",
        [R.CfNotDigit] = a => $"il codice fiscale {a[0]} contiene "
            + a[1] switch { "space" => "uno spazio", "letter" => $"la lettera {a[2]}", _ => $"il carattere {a[2]}" }
            + $" alla posizione {a[3]}; quello di un ente ha solo cifre",
        [R.CfLength] = a => $"il codice fiscale {a[0]} ha {a[1]} {(a[1] == "1" ? "cifra" : "cifre")}; deve averne esattamente 11",
        [R.CfZeros] = a => $"il codice fiscale {a[0]} è tutto zeri: un segnaposto, non un vero codice fiscale",
        [R.CfCheckDigit] = a => $"il codice fiscale {a[0]} ha la cifra di controllo {a[1]} invece di {a[2]}",
        [R.RangeNegative] = a => $"{a[0]}: il valore {a[1]} non può essere negativo",
        [R.RangeNotPositive] = a => $"{a[0]}: il valore {a[1]} deve essere maggiore di zero",
        [R.RangeTooLarge] = a => $"{a[0]}: il valore {a[1]} è troppo grande, al massimo {a[2]}",
        [R.RangeCents] = a => $"{a[0]}: il valore {a[1]} ha più di due decimali (un importo in euro arriva ai centesimi)",
        [R.RangeWholeUnits] = a => $"{a[0]}: il valore {a[1]} si conta in unità intere ({a[2]}); dare un numero intero",
        [R.RangeDate] = a => $"{a[0]}: la data {a[1]} deve essere tra il {a[2]} e il {a[3]}",
        [R.RangeNotBefore] = a => $"{a[0]}: la data {a[1]} non può essere prima del {a[3]} ({a[2]})",
        [R.RunPreviewNeverClosed] = a => $"{a[0]}: una previsione non si chiude mai; il calcolo definitivo si avvia a anno finito",
        [R.RunCloseFailed] = a => $"{a[0]}: {a[1]} enti non fatturati nella revisione {a[2]} ({a[3]}{(a[4] == "0" ? string.Empty : $" e altri {a[4]}")}; "
            + "lo stato del calcolo dice perché); correggerli e ricalcolare prima di chiudere",
        [R.RunFinalTooEarly] = a => $"{a[0]}: il calcolo definitivo del {a[1]} si avvia a anno finito (dal 1° gennaio {a[2]}); oggi è il {a[3]}: fare una previsione",
        [R.RunPreviewTooFar] = a => $"{a[0]}: una previsione il {a[1]} guarda avanti al massimo fino al {a[2]}, non al {a[3]}",
    };

    // The values as the grains write them (subjects, fields, dates, numbers) read in Italian: the most specific first.
    private static readonly (Regex Pattern, string Replacement)[] ItalianValueRules =
    [
        (Rule(@"^billing run (\d+) final$"), "calcolo definitivo $1"),
        (Rule(@"^billing run (\d+) preview$"), "previsione $1"),
        (Rule(@"^population of (.+) at 1 January (\d+)$"), "popolazione di $1 al 1° gennaio $2"),
        (Rule(@"^quantity of "), "quantità di "),
        (Rule(@"^agreed price of "), "prezzo concordato di "),
        (Rule(@"^activation date of "), "data di attivazione di "),
        (Rule(@"^activation date$"), "data di attivazione"),
        (Rule(@"^disdetta date of "), "data della disdetta di "),
        (Rule(@"^cessation date of "), "data di cessazione di "),
        (Rule(@"^adhesion date of "), "data di adesione di "),
        (Rule(@"^withdrawal date of "), "data di recesso di "),
        (Rule(@"^issue date of (device )?"), "data di emissione di "),
        (Rule(@"^request date of "), "data di richiesta di "),
        (Rule(@"^consumption '(.+)' of "), "consumo '$1' di "),
        (Rule(@"^consumption of "), "consumo di "),
        (Rule(@" from (\d{4}-\d{2}-\d{2})$"), " dal $1"),
        (Rule(@"\bPEC mailbox "), "casella PEC "),
        (Rule(@"\bfirma device "), "dispositivo di firma "),
        (Rule(@"\bhosted service "), "servizio "),
        (Rule(@"^service "), "servizio "),
        (Rule(@"\bservice (\S+/\S+)"), "servizio $1"),
        (Rule(@"^a space$"), "uno spazio"),
        (Rule(@"\b(\d{4})-(\d{2})-(\d{2})\b"), "$3/$2/$1"),
        // Numbers as the domain writes them (10,000 and 1.5) as Italians do (10.000 and 1,5).
        (Rule(@"^(\d{1,3}(?:,\d{3})+)$"), "\u0000$1"),
        (Rule(@"^(-?\d+)\.(\d+)$"), "$1,$2"),
    ];

    private static string ItalianValue(string value)
    {
        foreach (var (pattern, replacement) in ItalianValueRules)
        {
            value = pattern.Replace(value, replacement);
        }

        return value.StartsWith('\u0000') ? value[1..].Replace(',', '.') : value;
    }

    private static string ItalianKind(string kind) => kind switch
    {
        "PecMailbox" => "casella PEC",
        "FirmaDevice" => "dispositivo di firma",
        "HostedService" => "servizio",
        _ => kind,
    };

    private static bool Shorter(string number, int length) =>
        int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n < length;
}
