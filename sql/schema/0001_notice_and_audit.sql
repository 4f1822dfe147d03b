/*
Cst.Actors schema 0001: notices produced by deadlines, and the operator audit log.

Implementation notes:

1) These tables are outputs that accounting and operators read with plain SQL; the source of truth stays in grain
   state. Grains write them; nobody updates them afterwards.

2) A notice is produced when a deadline is reached (disdetta deadline, firma expiry warnings, renewals). Reminder
   ticks may arrive more than once or be caught up after downtime, so a notice is unique per
   (object, kind, due date): writers use INSERT ... ON CONFLICT ON CONSTRAINT notice_once DO NOTHING and a deadline
   yields exactly one notice whatever the number of ticks.

3) Objects are named by their stable key as text (e.g. an ente's codice fiscale, a mailbox address, a device serial)
   so rows stay readable and survive grain renames. due_date is a business date in Europe/Rome; instants are
   timestamptz.

4) The audit log is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE (retention, if ever needed, is done by an
   administrator disabling the trigger on purpose).
*/

CREATE TABLE notice
(
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    ente       text        NOT NULL,
    object     text        NOT NULL,
    kind       text        NOT NULL,
    due_date   date        NOT NULL,
    message    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT notice_pk PRIMARY KEY (id),
    CONSTRAINT notice_once UNIQUE (object, kind, due_date),
    CONSTRAINT notice_kind_not_blank CHECK (kind <> ''),
    CONSTRAINT notice_object_not_blank CHECK (object <> '')
);

-- "Upcoming deadlines" lists, overall and per ente.
CREATE INDEX notice_due_ix ON notice (due_date);
CREATE INDEX notice_ente_due_ix ON notice (ente, due_date);

CREATE TABLE audit
(
    id             bigint      GENERATED ALWAYS AS IDENTITY,
    operator       text        NOT NULL,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    object         text        NOT NULL,
    action         text        NOT NULL,
    before_summary text        NULL,
    after_summary  text        NULL,

    CONSTRAINT audit_pk PRIMARY KEY (id),
    CONSTRAINT audit_operator_not_blank CHECK (operator <> ''),
    CONSTRAINT audit_action_not_blank CHECK (action <> '')
);

-- History of one object, and the log by time.
CREATE INDEX audit_object_ix ON audit (object, occurred_at);
CREATE INDEX audit_occurred_ix ON audit (occurred_at);

CREATE FUNCTION audit_append_only() RETURNS trigger
    LANGUAGE plpgsql
AS $fn$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP;
END
$fn$;

CREATE TRIGGER audit_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
