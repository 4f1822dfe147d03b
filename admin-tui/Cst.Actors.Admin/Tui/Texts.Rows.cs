using System.Text.RegularExpressions;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// Rows the cluster stores in English (the notices' texts, the catalogue's own words, the billing failures) shown in
/// the console's language. What is stored does not change (command mode, the outbox and older clients read it): the
/// console rewrites it at the display edge, sentence by sentence, from the notice's kind and the values it names.
/// </summary>
public sealed partial class Texts
{
    /// <summary>A deadline notice's text in this language (the English one as stored when no rule knows it).</summary>
    public string Notice(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Code != "it")
        {
            return message;
        }

        foreach (var (pattern, replacement) in ItalianNotices)
        {
            message = pattern.Replace(message, replacement);
        }

        return Error(message);
    }

    /// <summary>A catalogue row's own words (version status, who loaded it, the membership quota, prices) in this language.</summary>
    public string Catalogue(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Code != "it")
        {
            return text;
        }

        foreach (var (pattern, replacement) in ItalianCatalogue)
        {
            text = pattern.Replace(text, replacement);
        }

        return Message(text);
    }

    /// <summary>An audit row's action (stored as the grains name it: "record consumption") in this language.</summary>
    public string AuditAction(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Code == "it" && ItalianAuditActions.TryGetValue(action, out var word) ? word : action;
    }

    private static readonly Dictionary<string, string> ItalianAuditActions = new(StringComparer.Ordinal)
    {
        ["activate"] = "attivazione",
        ["cancel"] = "annullamento",
        ["cease"] = "cessazione",
        ["change quantity"] = "cambio quantità",
        ["change tier"] = "cambio taglio",
        ["close"] = "chiusura",
        ["disdetta"] = "disdetta",
        ["edit"] = "modifica",
        ["import"] = "importazione",
        ["issue"] = "consegna",
        ["record a notice code"] = "codice avviso",
        ["record consumption"] = "consumo",
        ["register"] = "registrazione",
        ["renew"] = "rinnovo",
        ["request"] = "richiesta",
        ["revoke"] = "revoca",
        ["set agreed price"] = "prezzo concordato",
        ["set payer"] = "pagatore",
        ["set population"] = "popolazione",
        ["start"] = "avvio",
        ["withdraw"] = "recesso",
    };

    private static readonly (Regex, string)[] ItalianNotices =
    [
        (Sentence(@": the disdetta deadline is (\S+), in (\d+) days; without a disdetta by then the service renews on (\S+) for the whole of (\d+)$"),
            ": il termine per la disdetta è il $1, tra $2 giorni; senza disdetta entro quel giorno il servizio si rinnova il $3 per tutto il $4"),
        (Sentence(@": last day to receive a disdetta; otherwise the service renews on (\S+) for the whole of (\d+)$"),
            ": ultimo giorno per ricevere una disdetta; altrimenti il servizio si rinnova il $1 per tutto il $2"),
        (Sentence(@": renews for the whole of (\d+)$"), ": si rinnova per tutto il $1"),
        (Sentence(@": ceases on (\S+), after the disdetta received on (\S+); last active day (\S+)$"),
            ": cessa il $1, dopo la disdetta ricevuta il $2; ultimo giorno attivo il $3"),
        (Sentence(@": ceases on (\S+); last active day (\S+)$"), ": cessa il $1; ultimo giorno attivo il $2"),
        (Sentence(@": certificates expire on (\S+), in (\d+) days; renew by (\S+)$"), ": i certificati scadono il $1, tra $2 giorni; rinnovare entro il $3"),
        (Sentence(@": last day to renew; the certificates expire tomorrow, (\S+)$"), ": ultimo giorno per rinnovare; i certificati scadono domani, $1"),
        (Sentence(@": certificates expired on (\S+); the device can no longer be renewed, a new one is needed$"),
            ": certificati scaduti il $1; il dispositivo non si può più rinnovare, ne serve uno nuovo"),
        (Sentence(@"^service "), "servizio "),
        (Sentence(@"^firma remota "), "firma remota "),
    ];

    private static readonly (Regex, string)[] ItalianCatalogue =
    [
        (Sentence(@"^version$"), "versione"),
        (Sentence(@"^adopted: "), "adottata: "),
        (Sentence(@"^DRAFT: "), "BOZZA: "),
        (Sentence(@"^loaded by (.+) from (.+), adopted by (.+)$"), "caricata da $1 dal file $2, adottata da $3"),
        (Sentence(@"^loaded by (.+) from (.+)$"), "caricata da $1 dal file $2"),
        (Sentence(@"^Membership quota$"), "Quota associativa"),
        (Sentence(@"^per inhabitant by population band$"), "per abitante, secondo la fascia di popolazione"),
        (Sentence(@": on quotation\b"), ": a preventivo"),
    ];
}
