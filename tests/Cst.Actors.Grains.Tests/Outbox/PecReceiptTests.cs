using Cst.Actors.Grains.Outbox;
using MimeKit;
using NodaTime;

namespace Cst.Actors.Grains.Tests.Outbox;

/// <summary>Receipts built per the PEC technical rules, parsed without a cluster.</summary>
public sealed class PecReceiptTests
{
    private const string Sent = "cst-outbox-12@pec.provincia.padova.it";

    [Fact]
    public void Parse_AcceptanceReceipt_GivesKindReferenceAndCertifiedTimeInUtc()
    {
        var message = PecReceiptMessages.Build("accettazione", Sent, "Rendiconto n. 1/2026", "protocollo@pec.comune.abanoterme.example",
            "01/12/2026", "10:15:30", "+0100");

        var receipt = PecReceipt.Parse(message)!;

        Assert.Equal("accettazione", receipt.Kind);
        Assert.Equal(Sent, receipt.ReferencedMessageId);
        Assert.Equal(message.MessageId, receipt.ReceiptMessageId);
        // 10:15:30 at +01:00 is 09:15:30 UTC.
        Assert.Equal(Instant.FromUtc(2026, 12, 1, 9, 15, 30), receipt.CertifiedAt);
        Assert.Equal("opec210.20261201090000.12345.accettazione@pec.gestore.example", receipt.ProviderId);
        Assert.Null(receipt.Error);
        Assert.Null(receipt.ErrorDetail);
    }

    [Fact]
    public void Parse_DeliveryReceipt_GivesTheMailboxItWasDeliveredTo()
    {
        var receipt = PecReceipt.Parse(PecReceiptMessages.Build("avvenuta-consegna", Sent, "Rendiconto n. 1/2026",
            "protocollo@pec.comune.abanoterme.example", "01/12/2026", "10:15:42", "+0100"))!;

        Assert.Equal("avvenuta-consegna", receipt.Kind);
        Assert.Equal("protocollo@pec.comune.abanoterme.example", receipt.Recipient);
        Assert.Equal(Instant.FromUtc(2026, 12, 1, 9, 15, 42), receipt.CertifiedAt);
    }

    [Fact]
    public void Parse_DeliveryErrorNotice_GivesTheProvidersErrorAndReason()
    {
        var receipt = PecReceipt.Parse(PecReceiptMessages.Build("errore-consegna", Sent, "Rendiconto n. 2/2026", "protocollo@pec.comune.ignoto.example",
            "02/12/2026", "09:15:30", "+0100", error: "no-dest", errorDetail: "5.1.1 - casella inesistente"))!;

        Assert.Equal("errore-consegna", receipt.Kind);
        Assert.Equal("no-dest", receipt.Error);
        Assert.Equal("5.1.1 - casella inesistente", receipt.ErrorDetail);
        Assert.True(PecReceipt.IsFailure(receipt.Kind));
    }

    [Fact]
    public void Parse_WithoutDaticert_TakesTheDateHeaderAndTheReasonFromTheText()
    {
        var message = PecReceiptMessages.Build("non-accettazione", Sent, "Rendiconto n. 3/2026", "x@pec.example", "01/12/2026", "10:00:00",
            errorDetail: "allegato troppo grande", withDaticert: false);

        var receipt = PecReceipt.Parse(message)!;

        Assert.Equal(Instant.FromUtc(2026, 12, 1, 8, 0, 0), receipt.CertifiedAt);
        Assert.Contains("allegato troppo grande", receipt.ErrorDetail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("accettazione", "accepted")]
    [InlineData("presa-in-carico", "accepted")]
    [InlineData("avvenuta-consegna", "delivered")]
    [InlineData("preavviso-errore-consegna", "delivery late")]
    [InlineData("errore-consegna", "not delivered")]
    [InlineData("non-accettazione", "not delivered")]
    public void DeliveryState_OfEachKind(string kind, string state) => Assert.Equal(state, OutboxStore.DeliveryState(kind));

    [Fact]
    public void Parse_OrdinaryMessageOrTransportEnvelope_IsNoReceipt()
    {
        var ordinary = new MimeMessage { Subject = "Richiesta di chiarimenti sul rendiconto", MessageId = "a@b.example" };
        ordinary.Headers.Add("X-Riferimento-Message-ID", $"<{Sent}>");
        Assert.Null(PecReceipt.Parse(ordinary));

        // The envelope a recipient gets carries X-Trasporto, not X-Ricevuta.
        var envelope = new MimeMessage { Subject = "POSTA CERTIFICATA: Rendiconto n. 1/2026", MessageId = "opec@gestore.example" };
        envelope.Headers.Add("X-Trasporto", "posta-certificata");
        envelope.Headers.Add("X-Riferimento-Message-ID", $"<{Sent}>");
        Assert.Null(PecReceipt.Parse(envelope));

        // A kind the rules do not define, or no reference to the message: not a receipt either.
        var unknown = PecReceiptMessages.Build("accettazione", Sent, "x", "x@pec.example", "01/12/2026", "10:00:00");
        unknown.Headers["X-Ricevuta"] = "letta";
        Assert.Null(PecReceipt.Parse(unknown));
        var unreferenced = PecReceiptMessages.Build("accettazione", Sent, "x", "x@pec.example", "01/12/2026", "10:00:00");
        unreferenced.Headers.Remove("X-Riferimento-Message-ID");
        Assert.Null(PecReceipt.Parse(unreferenced));
    }
}
