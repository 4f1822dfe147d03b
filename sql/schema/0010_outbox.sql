/*
Cst.Actors schema 0010: the outbox of documents and notices sent by PEC / e-mail (issue #14), with the evidence.

Implementation notes:

1) One row per thing to send, unique by source_key: 'statement:<billing year>/<revision>/<payer>' (a numbered
   statement document, queued in the transaction that closes its revision) and 'notice:<notice id>' (a deadline
   notice, queued by the same statement that writes the notice). Queuing twice is ON CONFLICT DO NOTHING: whatever
   restarts or retries happen, each statement revision and each notice is queued once.

2) A silo's sender claims due rows (FOR UPDATE SKIP LOCKED, so silos never claim the same row), marks them 'sending'
   with a lease (claimed_until), sends, then records 'sent' with the evidence: the Message-ID (fixed at the first
   claim, the same on every retry), when, through which channel ('smtp' or 'eml'), the relay's answer and the id it
   gave (a PEC provider's reply may carry the receipt's id), or the .eml file written. A silo killed mid-delivery
   leaves its row 'sending'; once the lease has run out another silo claims it again. A failure puts the row back to
   'pending' with a growing delay (next_attempt_at), and to 'failed' after the configured number of attempts; an
   operator's retry (cst outbox retry) makes a failed row pending again.

3) Recipient and subject are worked out when the message is sent (the referente's PEC of the ente at that time) and
   recorded with the evidence. Credentials of the relay are never stored here.
*/

CREATE TABLE outbox_message
(
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    kind            text        NOT NULL,
    source_key      text        NOT NULL,
    ente            text        NOT NULL,
    billing_year    integer     NULL,
    revision        integer     NULL,
    notice_id       bigint      NULL,
    status          text        NOT NULL DEFAULT 'pending',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_by      text        NULL,
    claimed_until   timestamptz NULL,
    message_id      text        NULL,
    recipient       text        NULL,
    subject         text        NULL,
    attachment      text        NULL,
    channel         text        NULL,
    sent_at         timestamptz NULL,
    relay_response  text        NULL,
    relay_id        text        NULL,
    eml_path        text        NULL,
    last_error      text        NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT outbox_message_pk PRIMARY KEY (id),
    CONSTRAINT outbox_message_once UNIQUE (source_key),
    CONSTRAINT outbox_message_kind CHECK (kind IN ('statement', 'notice')),
    CONSTRAINT outbox_message_status CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    CONSTRAINT outbox_message_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);

-- The sender's question: what is due now.
CREATE INDEX outbox_message_due_ix ON outbox_message (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_message_ente_ix ON outbox_message (ente, id);
