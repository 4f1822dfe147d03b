using System.Security.Cryptography;
using System.Xml.Linq;
using MimeKit;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Grains.Outbox;

/// <summary>
/// A PEC provider's receipt (<i>ricevuta</i>) or notice (<i>avviso</i>) about a message the outbox sent, as the technical
/// rules of DM 2 novembre 2005 (and RFC 6109) shape it: the header <c>X-Ricevuta</c> names its kind,
/// <c>X-Riferimento-Message-ID</c> the Message-ID of the message it is about, and the attached <c>daticert.xml</c>
/// carries the certified time, the provider's identifier, the recipient and, on an error, its reason.
/// </summary>
public sealed record PecReceipt(
    string Kind,
    string ReferencedMessageId,
    string ReceiptMessageId,
    Instant CertifiedAt,
    string? ProviderId,
    string? Recipient,
    string? Error,
    string? ErrorDetail)
{
    /// <summary>The values of X-Ricevuta the rules define.</summary>
    public static IReadOnlySet<string> Kinds { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "accettazione", "non-accettazione", "presa-in-carico", "avvenuta-consegna", "preavviso-errore-consegna", "errore-consegna",
        "rilevazione-virus",
    };

    private static readonly LocalDateTimePattern ItalianDateTime = LocalDateTimePattern.CreateWithInvariantCulture("dd/MM/yyyy HH:mm:ss");

    /// <summary>
    /// The receipt in <paramref name="message"/>, or null when it is not one (an ordinary message in the same mailbox, a
    /// transport envelope, a kind the rules do not define, or no reference to the message it is about).
    /// </summary>
    public static PecReceipt? Parse(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var kind = message.Headers["X-Ricevuta"]?.Trim().ToLowerInvariant();
        var referenced = MessageId(message.Headers["X-Riferimento-Message-ID"]);
        if (kind is null || !Kinds.Contains(kind) || string.IsNullOrEmpty(referenced))
        {
            return null;
        }

        var data = Daticert(message);
        var dati = data?.Element("dati");
        var error = data?.Attribute("errore")?.Value.Trim();
        var detail = dati?.Element("errore-esteso")?.Value.Trim();
        if (string.IsNullOrEmpty(detail) && IsFailure(kind))
        {
            // Without daticert.xml the reason is only in the readable text the provider writes.
            detail = FirstLines(message.TextBody);
        }

        return new PecReceipt(
            kind,
            referenced,
            MessageId(message.MessageId) is { Length: > 0 } own ? own : "sha256:" + Hash(message),
            CertifiedTime(dati) ?? Instant.FromDateTimeOffset(message.Date == DateTimeOffset.MinValue ? DateTimeOffset.UtcNow : message.Date),
            Empty(dati?.Element("identificativo")?.Value),
            Empty(dati?.Element("consegna")?.Value) ?? (kind is "avvenuta-consegna" or "errore-consegna" or "preavviso-errore-consegna"
                ? Empty(data?.Element("intestazione")?.Element("destinatari")?.Value) : null),
            error is null or "nessuno" ? null : error,
            Empty(detail));
    }

    /// <summary>Whether the kind says the message did not, or could not yet, reach its recipient.</summary>
    public static bool IsFailure(string kind) =>
        kind is "non-accettazione" or "errore-consegna" or "rilevazione-virus" or "preavviso-errore-consegna";

    /// <summary>A Message-ID without its angle brackets and spaces: how the outbox stores its own.</summary>
    public static string? MessageId(string? value) => value?.Trim().TrimStart('<').TrimEnd('>').Trim() is { Length: > 0 } id ? id : null;

    private static XElement? Daticert(MimeMessage message)
    {
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            if (!string.Equals(part.FileName, "daticert.xml", StringComparison.OrdinalIgnoreCase) || part.Content is null)
            {
                continue;
            }

            using var content = new MemoryStream();
            part.Content.DecodeTo(content);
            content.Position = 0;
            try
            {
                var root = XDocument.Load(content).Root;
                return root?.Name.LocalName == "postacert" ? root : null;
            }
            catch (System.Xml.XmlException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>&lt;data zona="+0100"&gt;&lt;giorno&gt;dd/mm/yyyy&lt;/giorno&gt;&lt;ora&gt;hh:mm:ss&lt;/ora&gt;&lt;/data&gt;.</summary>
    private static Instant? CertifiedTime(XElement? dati)
    {
        var data = dati?.Element("data");
        var day = data?.Element("giorno")?.Value.Trim();
        var time = data?.Element("ora")?.Value.Trim();
        if (day is null || time is null)
        {
            return null;
        }

        var local = ItalianDateTime.Parse($"{day} {time}");
        if (!local.Success)
        {
            return null;
        }

        var zone = data!.Attribute("zona")?.Value.Trim() ?? "+0000";
        var offset = OffsetPattern.CreateWithInvariantCulture("+HHmm").Parse(zone);
        return offset.Success ? local.Value.WithOffset(offset.Value).ToInstant() : null;
    }

    private static string? FirstLines(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Take(6);
        return string.Join(" ", lines);
    }

    private static string Hash(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return Convert.ToHexStringLower(SHA256.HashData(stream.ToArray()));
    }

    private static string? Empty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The receipt's kind in plain English words, as the CLI lists it.</summary>
    public static string Describe(string kind) => kind switch
    {
        "accettazione" => "accepted by the sender's PEC provider",
        "non-accettazione" => "not accepted by the sender's PEC provider",
        "presa-in-carico" => "taken over by the recipient's PEC provider",
        "avvenuta-consegna" => "delivered to the recipient's mailbox",
        "preavviso-errore-consegna" => "not yet delivered after 12 hours",
        "errore-consegna" => "not delivered",
        "rilevazione-virus" => "not delivered: virus detected",
        _ => kind,
    };
}
