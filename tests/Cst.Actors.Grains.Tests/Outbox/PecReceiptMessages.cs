using System.Text;
using MimeKit;

namespace Cst.Actors.Grains.Tests.Outbox;

/// <summary>
/// PEC receipts as a provider writes them under the technical rules (DM 2 novembre 2005; RFC 6109): the headers
/// X-Ricevuta, X-Riferimento-Message-ID and the subject prefix of each kind, From posta-certificata@ the provider's
/// domain, a readable text and the certification data in <c>daticert.xml</c> (root <c>postacert</c>, with
/// <c>intestazione</c> and <c>dati</c>: the provider, <c>data zona="+0100"</c> with <c>giorno</c> and <c>ora</c>, the
/// provider's <c>identificativo</c>, the original <c>msgid</c>, <c>consegna</c> and <c>errore-esteso</c>).
/// </summary>
internal static class PecReceiptMessages
{
    private static readonly Dictionary<string, string> SubjectPrefix = new(StringComparer.Ordinal)
    {
        ["accettazione"] = "ACCETTAZIONE: ",
        ["non-accettazione"] = "AVVISO DI NON ACCETTAZIONE: ",
        ["presa-in-carico"] = "PRESA IN CARICO: ",
        ["avvenuta-consegna"] = "CONSEGNA: ",
        ["preavviso-errore-consegna"] = "AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO: ",
        ["errore-consegna"] = "AVVISO DI MANCATA CONSEGNA: ",
    };

    /// <summary>
    /// A receipt of <paramref name="kind"/> about the message <paramref name="messageId"/> (without brackets), certified on
    /// <paramref name="day"/> (dd/MM/yyyy) at <paramref name="time"/> in zone <paramref name="zone"/>.
    /// </summary>
    public static MimeMessage Build(string kind, string messageId, string subject, string to, string day, string time, string zone = "+0100",
        string? error = null, string? errorDetail = null, bool withDaticert = true)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Per conto di: protocollo@pec.provincia.padova.it", "posta-certificata@pec.gestore.example"));
        message.To.Add(MailboxAddress.Parse("protocollo@pec.provincia.padova.it"));
        message.Subject = SubjectPrefix[kind] + subject;
        message.MessageId = $"opec-{kind}-{Guid.NewGuid():N}@pec.gestore.example";
        message.Date = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(1));
        message.Headers.Add("X-Ricevuta", kind);
        message.Headers.Add("X-Riferimento-Message-ID", $"<{messageId}>");
        if (kind == "avvenuta-consegna")
        {
            message.Headers.Add("X-TipoRicevuta", "completa");
        }

        var text = kind switch
        {
            "accettazione" => $"Ricevuta di accettazione\nIl giorno {day} alle ore {time} ({zone}) il messaggio \"{subject}\" proveniente da \"protocollo@pec.provincia.padova.it\" ed indirizzato a: {to} è stato accettato dal sistema.",
            "avvenuta-consegna" => $"Ricevuta di avvenuta consegna\nIl giorno {day} alle ore {time} ({zone}) il messaggio \"{subject}\" è stato consegnato nella casella di destinazione {to}.",
            _ => $"Avviso di mancata consegna\nIl giorno {day} alle ore {time} ({zone}) nel messaggio \"{subject}\" indirizzato a {to} è stato rilevato un problema: {errorDetail ?? "errore"}.",
        };
        var body = new Multipart("mixed") { new TextPart("plain") { Text = text } };
        if (withDaticert)
        {
            var xml =
                $"""
                <?xml version="1.0" encoding="UTF-8"?>
                <postacert tipo="{kind}" errore="{error ?? "nessuno"}">
                    <intestazione>
                        <mittente>protocollo@pec.provincia.padova.it</mittente>
                        <destinatari tipo="certificato">{to}</destinatari>
                        <risposte>protocollo@pec.provincia.padova.it</risposte>
                        <oggetto>{subject}</oggetto>
                    </intestazione>
                    <dati>
                        <gestore-emittente>Gestore PEC di prova</gestore-emittente>
                        <data zona="{zone}">
                            <giorno>{day}</giorno>
                            <ora>{time}</ora>
                        </data>
                        <identificativo>opec210.20261201090000.12345.{kind}@pec.gestore.example</identificativo>
                        <msgid>&lt;{messageId}&gt;</msgid>
                        {(kind == "avvenuta-consegna" ? $"<ricevuta tipo=\"completa\" /><consegna>{to}</consegna>" : string.Empty)}
                        {(errorDetail is null ? string.Empty : $"<errore-esteso>{errorDetail}</errore-esteso>")}
                    </dati>
                </postacert>
                """;
            body.Add(new MimePart("application", "xml")
            {
                FileName = "daticert.xml",
                Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(xml))),
                ContentTransferEncoding = ContentEncoding.Base64,
            });
        }

        message.Body = body;
        return message;
    }

    /// <summary>Writes <paramref name="message"/> as an .eml file into <paramref name="directory"/>.</summary>
    public static async Task<string> DropAsync(MimeMessage message, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        var part = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.part");
        await message.WriteToAsync(part);
        File.Move(part, path, overwrite: true);
        return path;
    }
}
