using System.Globalization;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Documents;
using Cst.Actors.Domain.Validation;
using MimeKit;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Grains.Outbox;

/// <summary>
/// What the outbox sends, in plain Italian: the statement with its PDF, and each deadline notice with what the ente
/// has to do. Pure composition: the sender supplies the recipient and the rendered document.
/// </summary>
public static class OutboxMail
{
    private static readonly LocalDatePattern ItalianDate = LocalDatePattern.CreateWithInvariantCulture("dd/MM/yyyy");
    private static readonly CultureInfo Italian = CultureInfo.GetCultureInfo("it-IT");

    /// <summary>The line a statement's message adds when the CST holds no codice fiscale for its payer.</summary>
    public const string MissingCodiceFiscaleText =
        "Il codice fiscale dell'ente non risulta registrato presso il CST e il documento non lo riporta: vi preghiamo di comunicarlo rispondendo a questo messaggio.";

    /// <summary>What the outbox notes, for the operators, of a statement sent to a payer without a codice fiscale.</summary>
    public static string MissingCodiceFiscaleNote(string payerId) =>
        $"the payer's codice fiscale is not registered, so the statement says 'non registrato presso il CST': "
        + $"record it with cst ente edit {payerId} --codice-fiscale CF (cst billing pdf then prints it)";

    public static MimeMessage Statement(IssuerSettings issuer, string from, string to, string messageId, StatementFile file)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(file);
        var issued = file.Issued!;
        var body =
            $"""
            Spettabile {P(file.PayerName)},

            in allegato il rendiconto n. {issued.NumberText} del {ItalianDate.Format(issued.IssuedOn)} dei contributi dovuti al {issuer.Heading} per l'anno {issued.BillingYear}{(issued.Revision > 1 ? $" (revisione {issued.Revision}: rettifiche)" : string.Empty)}.

            Importo: EUR {issued.Total.Euros.ToString("#,##0.00", Italian)}{(issued.Total.Euros > 0 ? $", da pagare entro il {ItalianDate.Format(issued.DueDate)}" : string.Empty)}.
            {(issued.Total.Euros > 0 ? $"Bonifico a favore di {issuer.Body}, IBAN {issuer.IbanPrinted}, causale: contributi CST anno {issued.BillingYear}, rendiconto n. {issued.NumberText}." : "Nulla da pagare.")}

            Si tratta di contributi tra enti pubblici: operazione fuori campo IVA. Il documento allegato ne riporta ogni voce.{(file.PayerCodiceFiscale is null ? "\n" + MissingCodiceFiscaleText : string.Empty)}
            Per chiarimenti rispondere a questo messaggio.

            {issuer.SignerRole}
            {issuer.Heading}
            """;
        var message = Envelope(issuer, from, to, messageId,
            $"Rendiconto n. {issued.NumberText} - contributi CST anno {issued.BillingYear} - {P(file.PayerName)}");
        var builder = new BodyBuilder { TextBody = body };
        builder.Attachments.Add(file.FileName, file.Content, new ContentType("application", "pdf"));
        message.Body = builder.ToMessageBody();
        return message;
    }

    public static MimeMessage Notice(IssuerSettings issuer, string from, string to, string messageId, StoredNotice notice, string enteName)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(notice);
        var (title, text) = NoticeText(notice);
        var body =
            $"""
            Spettabile {P(enteName)},

            {text}

            Oggetto dell'avviso: {P(notice.Object)}. Data: {ItalianDate.Format(notice.Due)}.
            Per qualsiasi richiesta rispondere a questo messaggio o aprire una richiesta all'helpdesk del CST.

            {issuer.Heading}
            """;
        var message = Envelope(issuer, from, to, messageId, $"CST - {title} - {P(notice.Object)}");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>The title and the plain Italian text of a notice, saying what to do.</summary>
    public static (string Title, string Text) NoticeText(StoredNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var o = P(notice.Object);
        var due = ItalianDate.Format(notice.Due);
        var mailbox = notice.Object.Contains('@', StringComparison.Ordinal);
        var backup = mailbox
            ? " Prima della chiusura salvate i messaggi e le ricevute di accettazione e di consegna: sono la prova degli invii. "
              + "Fate il backup dell'intero contenuto della casella con un programma di posta (ad esempio Thunderbird o Outlook), "
              + "perché dopo la chiusura le credenziali sono disabilitate e il contenuto non è più raggiungibile."
            : string.Empty;
        return notice.Kind switch
        {
            "DisdettaWarning" => ("termine per la disdetta",
                $"Il servizio {o} si rinnova da sé il 1° gennaio per tutto l'anno. Se non vi serve più, inviate la disdetta al CST entro il 31 dicembre: "
                + "una disdetta ricevuta il 1° gennaio vale solo per l'anno successivo."),
            "DisdettaDeadline" => ("ultimo giorno per la disdetta",
                $"Oggi, {due}, è l'ultimo giorno per inviare la disdetta di {o}: da domani il servizio è rinnovato e dovuto per tutto il nuovo anno."
                + (mailbox ? " Se la disdetta è già stata inviata, la casella cessa il 1° gennaio." + backup : string.Empty)),
            "Renewal" => ("rinnovo",
                $"Il servizio {o} si è rinnovato il {due} per tutto l'anno {notice.Due.Year}: il contributo dell'anno è dovuto per intero."),
            "Cessation" => ("cessazione",
                $"Il servizio {o} cessa il {due} e da quel giorno non è più attivo né dovuto." + backup),
            "ExpiryWarning90Days" or "ExpiryWarning30Days" or "ExpiryWarning7Days" => ("scadenza dei certificati",
                $"I certificati del dispositivo di firma {o} scadono il {ItalianDate.Format(notice.Due.PlusDays(DaysBefore(notice.Kind)))}. "
                + "Chiedete al CST il rinnovo (EUR 13, entrambi i certificati, validi tre anni dalla data del rinnovo) entro il giorno prima della scadenza: "
                + "dopo la scadenza il dispositivo non si può più rinnovare e ne serve uno nuovo."),
            "LastRenewalDay" => ("ultimo giorno per il rinnovo",
                $"Oggi, {due}, è l'ultimo giorno per rinnovare i certificati del dispositivo di firma {o}: domani scadono e il dispositivo non sarà più rinnovabile."),
            "Expiry" => ("certificati scaduti",
                $"I certificati del dispositivo di firma {o} sono scaduti il {due}: il dispositivo non si può più usare né rinnovare. Chiedete al CST un nuovo dispositivo."),
            _ => ("avviso", P(notice.Message)),
        };
    }

    private static int DaysBefore(string kind) => kind switch
    {
        "ExpiryWarning90Days" => 90,
        "ExpiryWarning30Days" => 30,
        _ => 7,
    };

    private static MimeMessage Envelope(IssuerSettings issuer, string from, string to, string messageId, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(issuer.Heading, from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId;
        message.Date = DateTimeOffset.UtcNow;
        return message;
    }

    private static string P(string? text) => Guard.Printable(text);
}
