/*
Cst.Actors — Orleans ADO.NET providers on PostgreSQL (15+), part 1 of 4: the query table.
Written for this project against the contract of Orleans 10.4.2; not a copy of Orleans' own scripts.

Implementation notes:

1) Orleans' ADO.NET providers issue no SQL of their own. At start each provider reads
   SELECT QueryKey, QueryText FROM OrleansQuery and refuses to start when a key it needs is missing.
   The following scripts insert those rows: clustering (02), grain storage (03), reminders (04).

2) A query is bound by parameter *name* (@Name in the text, case-sensitive as Orleans spells it) and read back by
   result-column *name*. Unquoted identifiers fold to lower case in PostgreSQL, and Orleans reads columns by name
   case-insensitively, so our tables and columns use snake_case and each query aliases its output columns to the
   names Orleans expects.

3) Queries that report success return a single integer: > 0 means done, 0 means "not done" (e.g. a version check
   failed). A failure must never leave a partial write behind: every conditional write here is a single statement
   (or a chain of data-modifying CTEs, which PostgreSQL runs as one statement) whose row count decides; nothing
   relies on PL/pgSQL ASSERT, which is a no-op when plpgsql.check_asserts is off.

4) The scripts are applied in order by Cst.Actors.Silo.Database.SchemaMigrator, each in one transaction that also
   records it in cst_schema_version. They contain no transaction control. An applied script is never edited:
   changes come as new scripts (a query is replaced with UPDATE OrleansQuery ... in a later script).

5) Orleans' own main script only creates the query table; so does this one. The other scripts insert their queries
   with ON CONFLICT DO UPDATE so that a query table filled by hand earlier is brought to our version.
*/


CREATE TABLE IF NOT EXISTS OrleansQuery
(
    -- The provider reads the columns QueryKey and QueryText; unquoted they are querykey/querytext, which Orleans'
    -- SELECT (also unquoted) finds.
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
