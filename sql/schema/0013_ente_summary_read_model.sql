/*
Cst.Actors schema 0013: the enti list as a read model.

Implementation notes:

1) One row per ente, written by the ente's grain (Infrastructure/ReadModelStore.cs) whenever its facts or the
   snapshots of its objects change: identity, the population in force for the estimate's year, the objects active
   that day as the ente's screen counts them, and the year's estimate (or why it cannot be computed).

2) Two values depend on the day, not only on the facts. active_until is the first day on which the active count may
   change by itself (an object starting or ending): from that day the row is stale. estimate_year is the year the
   estimate was computed for (the current year when written). The console's list reads a window of rows in one
   query and asks only the enti of that window whose row is stale, or whose year is not the one asked, to compute
   their line (and rewrite their row when it is for the current year): a window never activates more enti than it
   shows. A new version of a listino changes estimates without changing any ente: cst-silo rebuild-read-models
   recomputes them.

3) revision is the ente's count of writes of its row's facts: after a failed write the ente checks it against its
   own, on its next activation, before writing again.

4) search_text is the name folded as the console searches it (lower case, accents removed).
*/

CREATE TABLE ente_summary (
    ente_id         text COLLATE "C" PRIMARY KEY,
    name            text COLLATE "C" NOT NULL,
    search_text     text NOT NULL,
    istat_code      text NULL,
    withdrawn_on    date NULL,
    population      integer NULL,
    active_objects  integer NOT NULL,
    active_until    date NULL,
    estimate_year   integer NOT NULL,
    estimate        numeric(14, 2) NULL,
    estimate_error  text NULL,
    revision        bigint NOT NULL,
    written_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ente_summary_by_name ON ente_summary (name, ente_id);

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'accounting') THEN
        GRANT SELECT ON ente_summary TO accounting;
    END IF;
END
$$;
