/*
Cst.Actors schema 0014: PEC receipts recorded against the outbox's messages, and no second send of a message that may
already have reached the relay.

Implementation notes:

1) A PEC provider answers each message with receipts to the sender's mailbox (DPR 68/2005; DM 2 novembre 2005, technical
   rules): the header X-Ricevuta names the kind (accettazione, non-accettazione, presa-in-carico, avvenuta-consegna,
   preavviso-errore-consegna, errore-consegna, rilevazione-virus) and X-Riferimento-Message-ID the Message-ID of the
   message it is about. The silo reads them from an IMAP mailbox or from .eml files dropped in a folder and records each
   here, once: receipt_message_id is the receipt's own Message-ID, unique, so a receipt read twice (an IMAP poll after a
   crash, a file dropped again) is recorded once. certified_at is the time the provider certifies (daticert.xml), else
   the receipt's Date.

2) The delivery state of a message is read from its receipts (OutboxStore): delivered (avvenuta-consegna), not delivered
   (non-accettazione, errore-consegna, rilevazione-virus, with the provider's reason), delivery late
   (preavviso-errore-consegna), accepted (accettazione, presa-in-carico).

3) handed_over_at is set, before the message's data is sent to the relay, by the silo sending it. A silo killed after that
   point may have delivered the message without recording it: its row is then never sent again by itself once the lease
   runs out, but marked failed with an explanation (the operator checks the relay's log or waits for the PEC receipt);
   an acceptance or delivery receipt for it records it as sent. A silo killed before that point left nothing at the
   relay, and its row is sent again as before (0010, note 2).

4) note says what a sent message lacked that the CST should put right, e.g. a statement whose payer has no codice fiscale
   registered (the demo comuni have none): cst outbox show prints it with the command that records one.
*/

ALTER TABLE outbox_message ADD COLUMN handed_over_at timestamptz NULL;

-- What the operators should know of a message as sent (note 4).
ALTER TABLE outbox_message ADD COLUMN note text NULL;

CREATE TABLE outbox_receipt
(
    id                    bigint      GENERATED ALWAYS AS IDENTITY,
    outbox_id             bigint      NOT NULL,
    kind                  text        NOT NULL,
    certified_at          timestamptz NOT NULL,
    receipt_message_id    text        NOT NULL,
    referenced_message_id text        NOT NULL,
    provider_id           text        NULL,
    recipient             text        NULL,
    error                 text        NULL,
    error_detail          text        NULL,
    source                text        NOT NULL,
    recorded_at           timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT outbox_receipt_pk PRIMARY KEY (id),
    CONSTRAINT outbox_receipt_once UNIQUE (receipt_message_id),
    CONSTRAINT outbox_receipt_message_fk FOREIGN KEY (outbox_id) REFERENCES outbox_message,
    CONSTRAINT outbox_receipt_kind CHECK (kind IN ('accettazione', 'non-accettazione', 'presa-in-carico', 'avvenuta-consegna',
                                                   'preavviso-errore-consegna', 'errore-consegna', 'rilevazione-virus'))
);

CREATE INDEX outbox_receipt_message_ix ON outbox_receipt (outbox_id, certified_at);

-- accounting reads the evidence of delivery too (0011, note 3); where the role could not be created, a DBA grants it.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'accounting') THEN
        GRANT SELECT ON outbox_receipt TO accounting;
    END IF;
END
$$;
