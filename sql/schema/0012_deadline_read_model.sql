/*
Cst.Actors schema 0012: upcoming deadlines as a read model.

Implementation notes:

1) One row per deadline still to come of each mailbox, firma device and hosted service, from the day its grain last
   wrote them to one year (366 days) after the deadline its reminder is armed for. The console's deadline list
   (IAdminQueryGrain.DeadlinesAsync) reads this table by due date instead of activating every object; so it covers
   up to 366 days ahead, always (the reminder fires at the latest on the armed deadline, and the rows written then
   reach a year past the next one).

2) Written only by the object's own grain (Infrastructure/ReadModelStore.cs), with the same schedule its reminder
   follows: after a change is stored, in the step that arms the reminder and before the change's audit row, so a
   failed write is done again by the next call (the audit row marks the change as complete); and again when a
   deadline fires. A write replaces all the rows of the object (DELETE then INSERT, one transaction): rows of facts
   that no longer hold (a disdetta, a revocation, a withdrawal) never linger.

3) ente_name is the ente's name, copied from ente_summary (0013) when the rows are written and updated by the ente
   when its name changes, so the list pages by an index in its own order: due date, kind, ente name, object.
   Names and keys compare bytewise (COLLATE "C") as the domain's ordinal order does.

4) cst-silo rebuild-read-models writes these rows again for every object of every ente, for a database that had
   objects before this script.
*/

CREATE TABLE deadline_upcoming (
    object_kind  smallint NOT NULL,            -- ChildKind: 1 PEC mailbox, 2 firma device, 3 hosted service
    object_key   text COLLATE "C" NOT NULL,    -- address, serial, hosted service key
    ente_id      text COLLATE "C" NOT NULL,
    ente_name    text COLLATE "C" NOT NULL,
    kind         smallint NOT NULL,            -- DeadlineKind: its order is the order of deadlines on one day
    due_date     date NOT NULL,
    description  text NOT NULL,
    CONSTRAINT deadline_upcoming_pkey PRIMARY KEY (object_kind, object_key, due_date, kind)
);

CREATE INDEX deadline_upcoming_by_due ON deadline_upcoming (due_date, kind, ente_name, object_key, object_kind);
CREATE INDEX deadline_upcoming_by_ente ON deadline_upcoming (ente_id, due_date);

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'accounting') THEN
        GRANT SELECT ON deadline_upcoming TO accounting;
    END IF;
END
$$;
