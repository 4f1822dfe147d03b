/*
Cst.Actors schema 0009: statements as issued documents (issue #14): a gap-free number per year of issue, the issue
and due dates, and the PagoPA notice that accounting may record for each.

Implementation notes:

1) A document is one payer's statement in one closed final revision: (billing_year, revision, payer_id). It is
   numbered when its revision is closed, in the same transaction as the close (PostgresBillingStore.CloseAsync), so a
   closed revision always has its numbers and a revision that failed to close has none.

2) Numbers run 1, 2, 3... per year of issue (issue_year, the year of the closing day in Europe/Rome), without gaps: a
   SEQUENCE may skip values (a rolled-back transaction consumes them), so the next number is taken from
   statement_number_counter under a row lock (SELECT ... FOR UPDATE): closes of the same year queue there, and a close
   that rolls back leaves the counter as it was. Payers are numbered by name, then key.

3) A number is never reused nor changed: statement_document refuses UPDATE and DELETE (trigger), and (issue_year,
   number) is unique. A later revision of adjustments gets new numbers of its own year.

4) due_date = issued_on + the issuer's payment terms (Issuer:PaymentTermsDays) in force at the close: the document
   keeps it whatever the configuration says later.

5) statement_payment is for accounting: the PagoPA notice code (codice avviso, holding the IUV) of a document, when
   the treasury has generated one. The statement PDF prints it beside the issuer's ente creditore code. Rows may be
   inserted and corrected with plain SQL.
*/

CREATE TABLE statement_number_counter
(
    issue_year  integer NOT NULL,
    last_number integer NOT NULL,

    CONSTRAINT statement_number_counter_pk PRIMARY KEY (issue_year),
    CONSTRAINT statement_number_counter_positive CHECK (last_number >= 0)
);

CREATE TABLE statement_document
(
    billing_year integer       NOT NULL,
    -- Only final revisions are documents; the column lets the foreign key reach billing_run.
    mode         text          NOT NULL DEFAULT 'final',
    revision     integer       NOT NULL,
    payer_id     text          NOT NULL,
    payer_name   text          NOT NULL,
    issue_year   integer       NOT NULL,
    number       integer       NOT NULL,
    issued_on    date          NOT NULL,
    due_date     date          NOT NULL,
    total        numeric(12,2) NOT NULL,
    enti         integer       NOT NULL,

    CONSTRAINT statement_document_pk PRIMARY KEY (billing_year, revision, payer_id),
    CONSTRAINT statement_document_number_once UNIQUE (issue_year, number),
    CONSTRAINT statement_document_run_fk FOREIGN KEY (billing_year, mode, revision) REFERENCES billing_run,
    CONSTRAINT statement_document_final CHECK (mode = 'final'),
    CONSTRAINT statement_document_number_positive CHECK (number >= 1),
    CONSTRAINT statement_document_due CHECK (due_date >= issued_on)
);

CREATE INDEX statement_document_payer_ix ON statement_document (payer_id, billing_year);

CREATE FUNCTION statement_document_is_permanent() RETURNS trigger
    LANGUAGE plpgsql
AS $fn$
BEGIN
    RAISE EXCEPTION 'statement % of % is issued: % is not allowed (numbers are never reused)', OLD.number, OLD.issue_year, TG_OP;
END
$fn$;

CREATE TRIGGER statement_document_permanent BEFORE UPDATE OR DELETE ON statement_document
    FOR EACH ROW EXECUTE FUNCTION statement_document_is_permanent();

CREATE TABLE statement_payment
(
    billing_year integer     NOT NULL,
    revision     integer     NOT NULL,
    payer_id     text        NOT NULL,
    -- The 18-digit PagoPA notice code (codice avviso); its last 17 digits hold the IUV.
    notice_code  text        NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT statement_payment_pk PRIMARY KEY (billing_year, revision, payer_id),
    CONSTRAINT statement_payment_document_fk FOREIGN KEY (billing_year, revision, payer_id) REFERENCES statement_document,
    CONSTRAINT statement_payment_notice_code CHECK (notice_code ~ '^[0-9]{18}$')
);
