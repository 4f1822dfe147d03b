/*
Cst.Actors schema 0002: the year-end billing run (issue #5): runs, the enti of each run, statements and their lines,
and views of the totals, so accounting can read them with plain SQL.

Implementation notes:

1) A run is identified by (year, mode, revision). mode 'preview' has revision 0, and each new preview of a year
   replaces the previous one (attempt + 1, its rows deleted first). mode 'final' starts at revision 1; once a revision
   is closed it is immutable, and a later change to that year is billed by revision n+1, which holds only adjustment
   lines (the differences to what revisions 1..n billed, positive or negative, matched by line_key).
   Accounting bills: SELECT ... FROM billing_line WHERE year = 2025 AND mode = 'final' (all revisions: their sum is
   what is due), or one revision at a time.

2) Writers are idempotent: the billing run grain may write an ente more than once (a silo crash resumes the run
   from its last recorded progress), so every insert is INSERT ... ON CONFLICT DO NOTHING on the unique keys below,
   and an ente's statement, lines and progress row are written in one transaction. billing_run_ente lists the enti
   of the run when it starts ('pending'); the run resumes with those still pending.

3) A closed run is immutable: the trigger billing_closed_is_immutable refuses any insert, update or delete of a
   statement, line or ente row of a closed run, and any change to the run row once closed.

4) Amounts are euros as numeric(12,2), each line rounded on its own (DESIGN rule 2): totals are sums of lines.
   Periods are half-open: period_end is the first day not covered (exports show the last day).
   For an adjustment line, quantity, months and unit_price describe the charge as it stands now (0 when it no
   longer exists), amount is the difference billed now and previously_billed what earlier revisions billed for the
   same line_key; previously_billed is NULL on ordinary lines.
*/

CREATE TABLE billing_run
(
    year          integer     NOT NULL,
    mode          text        NOT NULL,
    revision      integer     NOT NULL,
    -- Grows by one each time a preview (or a not yet closed final revision) is computed again from scratch.
    attempt       integer     NOT NULL,
    status        text        NOT NULL,
    -- The business date (Europe/Rome) the run was computed on: what was recorded by then is billed.
    as_of         date        NOT NULL,
    started_by    text        NOT NULL,
    started_at    timestamptz NOT NULL,
    completed_at  timestamptz NULL,
    closed_by     text        NULL,
    closed_at     timestamptz NULL,
    enti_total    integer     NOT NULL,

    CONSTRAINT billing_run_pk PRIMARY KEY (year, mode, revision),
    CONSTRAINT billing_run_mode CHECK (mode IN ('preview', 'final')),
    CONSTRAINT billing_run_revision CHECK ((mode = 'preview' AND revision = 0) OR (mode = 'final' AND revision >= 1)),
    CONSTRAINT billing_run_status CHECK (status IN ('running', 'completed', 'closed')),
    CONSTRAINT billing_run_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);

-- Every ente of a run and what came of it: 'pending' until done, then 'billed' (a statement was written),
-- 'nothing' (nothing due that year: not a member, or an adjustment revision with no difference) or 'failed'.
CREATE TABLE billing_run_ente
(
    year      integer NOT NULL,
    mode      text    NOT NULL,
    revision  integer NOT NULL,
    ente_id   text    NOT NULL,
    outcome   text    NOT NULL DEFAULT 'pending',
    error     text    NULL,

    CONSTRAINT billing_run_ente_pk PRIMARY KEY (year, mode, revision, ente_id),
    CONSTRAINT billing_run_ente_run_fk FOREIGN KEY (year, mode, revision) REFERENCES billing_run,
    CONSTRAINT billing_run_ente_outcome CHECK (outcome IN ('pending', 'billed', 'nothing', 'failed')),
    CONSTRAINT billing_run_ente_error CHECK ((outcome = 'failed') = (error IS NOT NULL))
);

-- One statement (rendiconto) per ente and run revision, addressed to the payer (the capofila for associated enti).
CREATE TABLE billing_statement
(
    year        integer       NOT NULL,
    mode        text          NOT NULL,
    revision    integer       NOT NULL,
    ente_id     text          NOT NULL,
    ente_name   text          NOT NULL,
    payer_id    text          NOT NULL,
    payer_name  text          NOT NULL,
    total       numeric(12,2) NOT NULL,
    line_count  integer       NOT NULL,

    CONSTRAINT billing_statement_pk PRIMARY KEY (year, mode, revision, ente_id),
    CONSTRAINT billing_statement_run_fk FOREIGN KEY (year, mode, revision) REFERENCES billing_run
);

CREATE INDEX billing_statement_payer_ix ON billing_statement (year, mode, revision, payer_id);

CREATE TABLE billing_line
(
    year              integer       NOT NULL,
    mode              text          NOT NULL,
    revision          integer       NOT NULL,
    ente_id           text          NOT NULL,
    -- 1, 2, ... within the statement, in the pricing core's order.
    line_no           integer       NOT NULL,
    -- subscription|service|component|period start|period end[#occurrence]: the same charge in every revision.
    line_key          text          NOT NULL,
    service_id        text          NOT NULL,
    service_name      text          NOT NULL,
    component_id      text          NOT NULL,
    component_name    text          NOT NULL,
    -- NULL for the membership quota.
    subscription_id   text          NULL,
    period_start      date          NOT NULL,
    period_end        date          NOT NULL,
    -- Months charged (DESIGN rule 3), only on amounts apportioned by months.
    months            integer       NULL,
    quantity          numeric(18,6) NOT NULL,
    unit_price        numeric(12,2) NOT NULL,
    amount            numeric(12,2) NOT NULL,
    previously_billed numeric(12,2) NULL,
    listino_id        text          NOT NULL,
    listino_version   text          NOT NULL,
    -- The article (section) of the listino the tariff comes from.
    section           text          NOT NULL,
    note              text          NULL,

    CONSTRAINT billing_line_pk PRIMARY KEY (year, mode, revision, ente_id, line_no),
    CONSTRAINT billing_line_key_once UNIQUE (year, mode, revision, ente_id, line_key),
    CONSTRAINT billing_line_statement_fk FOREIGN KEY (year, mode, revision, ente_id) REFERENCES billing_statement,
    CONSTRAINT billing_line_period CHECK (period_end > period_start)
);

CREATE INDEX billing_line_ente_ix ON billing_line (year, mode, ente_id);

CREATE FUNCTION billing_closed_is_immutable() RETURNS trigger
    LANGUAGE plpgsql
AS $fn$
DECLARE
    target record;
BEGIN
    IF TG_TABLE_NAME = 'billing_run' THEN
        IF OLD.status = 'closed' THEN
            RAISE EXCEPTION 'billing run % % revision % is closed: % is not allowed', OLD.year, OLD.mode, OLD.revision, TG_OP;
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;

    target := CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END;
    IF EXISTS (SELECT 1 FROM billing_run r
               WHERE r.year = target.year AND r.mode = target.mode AND r.revision = target.revision AND r.status = 'closed') THEN
        RAISE EXCEPTION 'billing run % % revision % is closed: % on % is not allowed',
            target.year, target.mode, target.revision, TG_OP, TG_TABLE_NAME;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$fn$;

CREATE TRIGGER billing_run_immutable BEFORE UPDATE OR DELETE ON billing_run
    FOR EACH ROW EXECUTE FUNCTION billing_closed_is_immutable();
CREATE TRIGGER billing_run_ente_immutable BEFORE INSERT OR UPDATE OR DELETE ON billing_run_ente
    FOR EACH ROW EXECUTE FUNCTION billing_closed_is_immutable();
CREATE TRIGGER billing_statement_immutable BEFORE INSERT OR UPDATE OR DELETE ON billing_statement
    FOR EACH ROW EXECUTE FUNCTION billing_closed_is_immutable();
CREATE TRIGGER billing_line_immutable BEFORE INSERT OR UPDATE OR DELETE ON billing_line
    FOR EACH ROW EXECUTE FUNCTION billing_closed_is_immutable();

-- Run totals, always derived from the lines (so they cannot disagree with them).
CREATE VIEW billing_total_by_service AS
SELECT year, mode, revision, service_id, min(service_name) AS service_name, count(*) AS lines, sum(amount) AS amount
FROM billing_line
GROUP BY year, mode, revision, service_id;

CREATE VIEW billing_total_by_listino_version AS
SELECT year, mode, revision, listino_id, listino_version, count(*) AS lines, sum(amount) AS amount
FROM billing_line
GROUP BY year, mode, revision, listino_id, listino_version;

CREATE VIEW billing_total AS
SELECT r.year, r.mode, r.revision, r.status,
       (SELECT count(*) FROM billing_statement s WHERE (s.year, s.mode, s.revision) = (r.year, r.mode, r.revision)) AS enti,
       (SELECT count(*) FROM billing_line l WHERE (l.year, l.mode, l.revision) = (r.year, r.mode, r.revision)) AS lines,
       (SELECT coalesce(sum(l.amount), 0) FROM billing_line l WHERE (l.year, l.mode, l.revision) = (r.year, r.mode, r.revision)) AS amount
FROM billing_run r;

-- What each payer owes, with how many enti it pays for.
CREATE VIEW billing_total_by_payer AS
SELECT year, mode, revision, payer_id, min(payer_name) AS payer_name, count(*) AS enti, sum(total) AS amount
FROM billing_statement
GROUP BY year, mode, revision, payer_id;
