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
        if (MessageRules.Count > 0)
        {
            if (Required().Match(text) is { Success: true } required)
            {
                return Field(required.Groups[1].Value) + ": " + Phrases.GetValueOrDefault("is required", "required") + ".";
            }

            // An input refusal names its field by the label the operator reads in the dialog.
            foreach (var (pattern, render) in FieldSentences)
            {
                if (pattern.Match(text) is { Success: true } m)
                {
                    return Field(m.Groups[1].Value) + ": " + render(m);
                }
            }
        }

        foreach (var (pattern, replacement) in MessageRules)
        {
            text = pattern.Replace(text, replacement);
        }

        if (Code == "it")
        {
            // Amounts and the enum words the actions' sentences carry, as the console writes them.
            text = Euros().Replace(text, m => "EUR " + decimal.Parse(m.Groups[1].Value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture).ToString("#,##0.00", Culture));
            text = EnumInParentheses().Replace(text, m => "(" + Word(m.Groups[1].Value) + ")");
        }

        return Error(text);
    }

    /// <summary>
    /// A field named in an input refusal ("Received on"), as its dialog labels it in this language ("Ricevuta il"):
    /// the label itself, else the label it begins ("Withdrawn on" of "Withdrawn on (first day not a member)").
    /// </summary>
    public string Field(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (Phrases.TryGetValue(field, out var whole))
        {
            return whole;
        }

        foreach (var (english, translated) in Phrases)
        {
            if (english.StartsWith(field + " (", StringComparison.Ordinal))
            {
                var cut = translated.IndexOf(" (", StringComparison.Ordinal);
                return cut > 0 ? translated[..cut] : translated;
            }
        }

        return field;
    }

    /// <summary>Input refusals after their field's name, in this language (Italian; English keeps the sentence).</summary>
    private IReadOnlyList<(Regex Pattern, Func<Match, string> Render)> FieldSentences => Code != "it" ? [] : ItalianFieldSentences;

    private static readonly (Regex, Func<Match, string>)[] ItalianFieldSentences =
    [
        (Sentence(@"^(.+) must be a date such as 2026-12-31 or 31/12/2026, not '(.*)'\.$"), m => $"una data come 31/12/2026, non '{m.Groups[2].Value}'."),
        (Sentence(@"^(.+) must be a whole number from (\d+) to (\d+), not '(.*)'\.$"), m => $"un numero intero da {m.Groups[2].Value} a {m.Groups[3].Value}, non '{m.Groups[4].Value}'."),
        (Sentence(@"^(.+) is too large: at most (\S+), not '(.*)'\.$"), m => $"troppo grande: al massimo {m.Groups[2].Value.Replace(",", ".", StringComparison.Ordinal)}, non '{m.Groups[3].Value}'."),
        (Sentence(@"^(.+) must be a number not below 0 \(e\.g\. 12\.5\), not '(.*)'\.$"), m => $"un numero non negativo (es. 12,5), non '{m.Groups[2].Value}'."),
        (Sentence(@"^(.+) must be one of (.+), not '(.*)'\.$"), m => $"uno tra {m.Groups[2].Value}, non '{m.Groups[3].Value}'."),
        (Sentence(@"^(.+) must be preview or final, not '(.*)'\.$"), m => $"previsione o definitivo, non '{m.Groups[2].Value}'."),
    ];

    [GeneratedRegex(@"\bEUR (\d{1,3}(?:,\d{3})*\.\d\d)\b")]
    private static partial Regex Euros();

    [GeneratedRegex(@"\((Lost|Stolen|HolderLeft|Other|preview|final)\)")]
    private static partial Regex EnumInParentheses();

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
        ["Set extra space"] = "Spazio aggiuntivo",
        ["Set conservazione"] = "Conservazione",
        ["Extra space GB (0 ends it)"] = "Spazio aggiuntivo GB (0: nessuno)",
        ["Conservazione GB (0 ends it)"] = "Conservazione GB (0: nessuna)",
        ["Reason"] = "Motivo",
        ["Mode"] = "Modo",
        ["Format"] = "Formato",
        ["(itself)"] = "(sé stesso: paga per sé)",
        ["csv: statements and totals for Excel"] = "csv: rendiconti e totali per Excel",
        ["json: for other programs"] = "json: per altri programmi",
        ["text: one readable statement per payer"] = "testo: un rendiconto leggibile per pagatore",
        ["xlsx: an Excel workbook"] = "xlsx: una cartella di lavoro Excel",
        ["all: every format"] = "tutti i formati",
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
        ["Capofila ente key (empty: itself)"] = "Capofila (chi paga)",
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
        ["Kind (BusinessKey, FirmaRemota)"] = "Tipo",
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
        ["Service id (e.g. s.13)"] = "Servizio",
        ["Tier (standard, silver, gold, massiva)"] = "Taglio",
        ["Variant (optional)"] = "Variante",
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
        (Sentence(@"^Set the (extra space|conservazione) of (\S+) to (\S+) GB from (\S+)\?$"), "Impostare $1 di $2 a $3 GB dal $4?"),
        (Sentence(@"^(\S+): (extra space|conservazione) (\S+) GB from (\S+)\.$"), "$1: $2 $3 GB dal $4."),
        (Sentence(@"^(\S+): no (extra space|conservazione) from (\S+)\.$"), "$1: nessun $2 dal $3."),
        (Sentence(@"\bextra space\b"), "spazio aggiuntivo"),
        (Sentence(@"^End (\S+) on (\S+)\? It is not active from that day\.$"), "Cessare $1 il $2? Da quel giorno non è più attivo."),
        (Sentence(@"^(\S+) ends on (\S+)\.$"), "$1 termina il $2."),
        (Sentence(@"^From (\d+), (\S+) pays for itself\? Up to (\d+) the payer stays (.+)\.$"), "Dal $1 $2 paga per sé? Fino al $3 il pagatore resta $4."),
        (Sentence(@"^From (\d+), (\S+) pays for (\S+)\? Up to (\d+) the payer stays (.+)\.$"), "Dal $1 $2 paga per $3? Fino al $4 il pagatore resta $5."),
        (Sentence(@"resta itself\.$"), "resta sé stesso."),
        (Sentence(@"^(\S+) pays for itself from (\d+)\.$"), "$1 paga per sé dal $2."),
        (Sentence(@"^(\S+) pays for (\S+) from (\d+)\.$"), "$1 paga per $2 dal $3."),
        (Sentence(@"^Record (\S+) (\S+) on (\S+) for (\S+) \(entry (.+)\)\?$"), "Registrare $1 $2 il $3 per $4 (n. $5)?"),
        (Sentence(@"^Move (\S+) to (\S+) from (\S+)\?$"), "Passare $1 al taglio $2 dal $3?"),
        (Sentence(@"^(\S+) is on (\S+) from (\S+)\.$"), "$1 è sul taglio $2 dal $3."),
        (Sentence(@"^Set the quantity of (\S+) to (\S+) from (\S+)\?$"), "Portare la quantità di $1 a $2 dal $3?"),
        (Sentence(@"^(\S+): quantity (\S+) from (\S+)\.$"), "$1: quantità $2 dal $3."),
        (Sentence(@"^Export (\d+) (preview|final) as (\S+) to (.+)\?$"), "Esportare $1 ($2) in formato $3 nella cartella $4?"),
        (Sentence(@"^Exported r(\d+) to (.+): (\d+) file\(s\), (\d+) statement\(s\) in (.+)$"), "Esportata la revisione $1 in $2: $3 file, $4 rendiconti in $5"),
        (Sentence(@"^Exported r(\d+) to (.+): (\d+) file\(s\)$"), "Esportata la revisione $1 in $2: $3 file"),
        (Sentence(@"^(.+): on quotation per (.+)$"), "$1: a preventivo, per $2"),
        (Sentence(@"^(.+): EUR (\S+) per unit$"), "$1: EUR $2 per unità"),
        (Sentence(@"^(.+): EUR (\S+) per year$"), "$1: EUR $2 all'anno"),
        (Sentence(@"^\(none\)$"), "(nessuna)"),
        (Sentence(@"^(\d+) message\(s\) shown\.$"), "$1 messaggi mostrati."),
        (Sentence(@"^(\d+) audit row\(s\)\.$"), "$1 righe del registro."),
        (Sentence(@"^(\d+) deadline\(s\) in the next (\d+) days\.$"), "$1 scadenze nei prossimi $2 giorni."),
        (Sentence(@"^All deadlines shown\.$"), "Tutte le scadenze."),
        (Sentence(@"^(\d+) deadline\(s\) matching '(.*)'\.$"), "$1 scadenze con '$2'."),
    ];
}
