using System.Text.RegularExpressions;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// The actions' dialogs in the console's language. Their forms live in the view models and are shared with command
/// mode, whose English output scripts read; so the console translates them at the display edge: titles and labels by
/// phrase, confirmations, results and input refusals by sentence.
/// </summary>
public sealed partial class Texts
{
    /// <summary>Titles (the part before ": key") and field labels; others unchanged.</summary>
    public required IReadOnlyDictionary<string, string> Phrases { get; init; }

    /// <summary>Confirmations and results of the actions, and the console's own input refusals (multi-line).</summary>
    public required IReadOnlyList<(Regex Pattern, string Replacement)> MessageRules { get; init; }

    /// <summary>A dialog's title or label in this language: "Record disdetta: key" keeps its key.</summary>
    public string Phrase(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Phrases.TryGetValue(text, out var whole))
        {
            return whole;
        }

        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && Phrases.TryGetValue(text[..colon], out var head) ? head + text[colon..] : Message(text);
    }

    /// <summary>A confirmation, a result or a refusal in this language where a rule knows it; otherwise as given.</summary>
    public string Message(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Required().Match(text) is { Success: true } required && MessageRules.Count > 0)
        {
            return Phrase(required.Groups[1].Value) + ": " + Phrases.GetValueOrDefault("is required", "required") + ".";
        }

        foreach (var (pattern, replacement) in MessageRules)
        {
            text = pattern.Replace(text, replacement);
        }

        return Error(text);
    }

    /// <summary>
    /// The detail of a mailbox, device or service as the ente's screen lists it ("standard from 2025-01-15, ends
    /// 2026-12-31"), in this language.
    /// </summary>
    public string Detail(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Code != "it")
        {
            return text;
        }

        foreach (var (pattern, replacement) in ItalianDetails)
        {
            text = pattern.Replace(text, replacement);
        }

        return Error(text);
    }

    [GeneratedRegex(@"^(.+) is required\.$")]
    private static partial Regex Required();

    private static Regex Sentence(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.Multiline, TimeSpan.FromMilliseconds(100));

    private static readonly Dictionary<string, string> ItalianPhrases = new(StringComparer.Ordinal)
    {
        ["is required"] = "obbligatorio",
        // Titles.
        ["Activate PEC mailbox"] = "Attiva casella PEC",
        ["Activate service"] = "Attiva servizio",
        ["Add ente"] = "Aggiungi ente",
        ["Billing year and mode"] = "Anno e modo della fatturazione",
        ["Deadlines window"] = "Scadenze da mostrare",
        ["Export billing run"] = "Esporta la fatturazione",
        ["Filter deadlines"] = "Filtra le scadenze",
        ["Filter the outbox"] = "Filtra la posta in uscita",
        ["(all)"] = "(tutti)",
        ["Status"] = "Stato",
        ["Ente (empty: all)"] = "Ente (vuoto: tutti)",
        ["All messages shown."] = "Tutti i messaggi mostrati.",
        ["Filter the audit log"] = "Filtra il registro delle modifiche",
        ["Issue firma device"] = "Consegna dispositivo di firma",
        ["Set payer"] = "Pagatore",
        ["Update population"] = "Aggiorna popolazione",
        ["Withdraw ente"] = "Recesso dell'ente",
        ["Change quantity"] = "Cambia quantità",
        ["Change tier"] = "Cambia taglio",
        ["Cease service"] = "Cessa servizio",
        ["Record consumption"] = "Registra consumo",
        ["Record disdetta"] = "Registra disdetta",
        ["Renew certificate"] = "Rinnova certificato",
        ["Revoke device"] = "Revoca dispositivo",
        ["Statement preview"] = "Anteprima del rendiconto",
        // Labels.
        ["Activated on"] = "Attivo dal",
        ["Address"] = "Indirizzo",
        ["Adhered on"] = "Adesione il",
        ["Agreed price EUR (optional)"] = "Prezzo concordato EUR (facolt.)",
        ["Capofila ente key (empty: itself)"] = "Capofila (vuoto: sé stesso)",
        ["Codice fiscale"] = "Codice fiscale",
        ["Codice fiscale (the key: fixed)"] = "Codice fiscale (chiave: fisso)",
        ["Component"] = "Componente",
        ["Days ahead"] = "Giorni avanti",
        ["Directory"] = "Cartella",
        ["Effective on"] = "Dal",
        ["Ends on (first day not active)"] = "Termina il (primo giorno non attivo)",
        ["Ente, object or kind (empty: all)"] = "Ente, oggetto o tipo (vuoto: tutte)",
        ["Entry id (work order no.)"] = "Id (n. ordine di lavoro)",
        ["Evidence (protocol no., PEC id)"] = "Prova (n. protocollo, id PEC)",
        ["Evidence"] = "Prova",
        ["Format (csv, json, text, all)"] = "Formato (csv, json, text, all)",
        ["From billing year"] = "Dall'anno di fatturazione",
        ["Holder"] = "Titolare",
        ["ISTAT code"] = "Codice ISTAT",
        ["Inhabitants (optional)"] = "Abitanti (facoltativo)",
        ["Inhabitants"] = "Abitanti",
        ["Issued on"] = "Consegnato il",
        ["Kind (BusinessKey, FirmaRemota)"] = "Tipo (BusinessKey, FirmaRemota)",
        ["Kind"] = "Tipo",
        ["Label"] = "Etichetta",
        ["Listino"] = "Listino",
        ["Mode (preview, final)"] = "Modo (preview, final)",
        ["Name"] = "Nome",
        ["New quantity"] = "Nuova quantità",
        ["New tier (standard, silver, gold, massiva)"] = "Nuovo taglio",
        ["Object or operator contains"] = "Oggetto o operatore contiene",
        ["Population at 1 January of year"] = "Popolazione al 1° gennaio dell'anno",
        ["Quantity"] = "Quantità",
        ["Reason (Lost, Stolen, HolderLeft, Other)"] = "Motivo (Lost, Stolen, HolderLeft, Other)",
        ["Received on"] = "Ricevuta il",
        ["Recorded on"] = "Registrato il",
        ["Referente PEC"] = "PEC del referente",
        ["Referente e-mail"] = "E-mail del referente",
        ["Referente"] = "Referente",
        ["Renewed on"] = "Rinnovato il",
        ["Requested on"] = "Richiesta il",
        ["Revoked on"] = "Revocato il",
        ["Serial"] = "Seriale",
        ["Service id (e.g. s.13)"] = "Servizio (es. s.13)",
        ["Tier (standard, silver, gold, massiva)"] = "Taglio (standard, silver, gold, massiva)",
        ["Variant (optional)"] = "Variante (facoltativa)",
        ["Withdrawn on (first day not a member)"] = "Recesso dal (primo giorno non socio)",
        ["Year (1 January)"] = "Anno (1° gennaio)",
        ["Year"] = "Anno",
    };

    private static readonly (Regex, string)[] ItalianDetails =
    [
        (Sentence(@" from (\d{4}-)"), " dal $1"),
        (Sentence(@" requested(,|$)"), " richiesto$1"),
        (Sentence(@", disdetta (\d{4}-)"), ", disdetta del $1"),
        (Sentence(@", ends (\d{4}-)"), ", termina il $1"),
        (Sentence(@", expires (\d{4}-)"), ", scade il $1"),
        (Sentence(@", revoked (\d{4}-)"), ", revocato il $1"),
    ];

    private static readonly (Regex, string)[] ItalianMessages =
    [
        (Sentence(@"^Planned change: takes effect on (\S+)\.$"), "Modifica programmata: ha effetto dal $1."),
        (Sentence(@"^Record the disdetta of (\S+) received on (\S+) \((.*)\)\?$"), "Registrare la disdetta di $1 ricevuta il $2 ($3)?"),
        (Sentence(@"^Disdetta recorded, ending on (\S+): (\S+)$"), "Disdetta registrata, termina il $1: $2"),
        (Sentence(@"^Set the population of (\S+) at 1 January (\d+) to (\d+)\?$"), "Impostare la popolazione di $1 al 1° gennaio $2 a $3?"),
        (Sentence(@"^Population of (\S+) at 1 January (\d+): (\d+)\.$"), "Popolazione di $1 al 1° gennaio $2: $3."),
        (Sentence(@"^Withdraw (\S+) on (\S+)\? All its mailboxes, devices and services end that day\.$"), "Recesso di $1 dal $2? Tutte le sue caselle PEC, dispositivi di firma e servizi terminano quel giorno."),
        (Sentence(@"^(\S+) withdrawn on (\S+)\.$"), "$1 receduto dal $2."),
        (Sentence(@"^Renew the certificates of (\S+) on (\S+)\?$"), "Rinnovare i certificati di $1 il $2?"),
        (Sentence(@"^(\S+) renewed; expires on (\S+)\.$"), "$1 rinnovato; scade il $2."),
        (Sentence(@"^Revoke (\S+) on (\S+) \((\w+)\)\?$"), "Revocare $1 il $2 ($3)?"),
        (Sentence(@"^(\S+) revoked on (\S+)\.$"), "$1 revocato il $2."),
        (Sentence(@"^Activate mailbox (\S+) \((\w+)\) for (\S+) on (\S+)\?$"), "Attivare la casella PEC $1 ($2) per $3 il $4?"),
        (Sentence(@"^Mailbox (\S+) active from (\S+)\.$"), "Casella PEC $1 attiva dal $2."),
        (Sentence(@"^Consumption (\S+) recorded for (\S+)\.$"), "Consumo $1 registrato per $2."),
        (Sentence(@"^Change ente (\S+): (.+)\?$"), "Modificare l'ente $1: $2?"),
        (Sentence(@"^Ente (\S+) changed: (.+)\.$"), "Ente $1 modificato: $2."),
        (Sentence(@"^Ente (\S+) '(.+)' registered\.$"), "Ente $1 '$2' registrato."),
        (Sentence(@"^Edit ente (\S+)$"), "Modifica ente $1"),
        (Sentence(@"^(.+) must be a date such as 2026-12-31 or 31/12/2026, not '(.*)'\.$"), "$1: una data come 31/12/2026, non '$2'."),
        (Sentence(@"^Nothing changed\.$"), "Nessuna modifica."),
        (Sentence(@"^(\d+) message\(s\) shown\.$"), "$1 messaggi mostrati."),
        (Sentence(@"^(\d+) audit row\(s\)\.$"), "$1 righe del registro."),
        (Sentence(@"^(\d+) deadline\(s\) in the next (\d+) days\.$"), "$1 scadenze nei prossimi $2 giorni."),
        (Sentence(@"^All deadlines shown\.$"), "Tutte le scadenze."),
        (Sentence(@"^(\d+) deadline\(s\) matching '(.*)'\.$"), "$1 scadenze con '$2'."),
    ];
}
