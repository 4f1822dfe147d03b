/*
Cst.Actors schema 0003: a closed billing run stays immutable, checked once per statement instead of once per row.

A national run writes about 570,000 lines and a recompute deletes as many; the row triggers of 0002 ran a query on
billing_run for every one of them. Inserts and deletes of lines, statements and run enti are now checked by AFTER
... FOR EACH STATEMENT triggers that look at the statement's rows together (its transition table, changed_rows):
one query per statement, whatever its size. The refusal is the same: the whole statement is undone with an error
naming the closed run. Updates are rare and keep the row trigger of 0002.
*/

CREATE FUNCTION billing_closed_rows_refused() RETURNS trigger
    LANGUAGE plpgsql
AS $fn$
DECLARE
    closed record;
BEGIN
    SELECT r.year, r.mode, r.revision INTO closed
    FROM (SELECT DISTINCT year, mode, revision FROM changed_rows) c
    JOIN billing_run r ON r.year = c.year AND r.mode = c.mode AND r.revision = c.revision
    WHERE r.status = 'closed'
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'billing run % % revision % is closed: % on % is not allowed',
            closed.year, closed.mode, closed.revision, TG_OP, TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$fn$;

DROP TRIGGER billing_run_ente_immutable ON billing_run_ente;
CREATE TRIGGER billing_run_ente_immutable BEFORE UPDATE ON billing_run_ente
    FOR EACH ROW EXECUTE FUNCTION billing_closed_is_immutable();
CREATE TRIGGER billing_run_ente_insert_guard AFTER INSERT ON billing_run_ente
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_closed_rows_refused();
CREATE TRIGGER billing_run_ente_delete_guard AFTER DELETE ON billing_run_ente
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_closed_rows_refused();

DROP TRIGGER billing_statement_immutable ON billing_statement;
CREATE TRIGGER billing_statement_immutable BEFORE UPDATE ON billing_statement
    FOR EACH ROW EXECUTE FUNCTION billing_closed_is_immutable();
CREATE TRIGGER billing_statement_insert_guard AFTER INSERT ON billing_statement
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_closed_rows_refused();
CREATE TRIGGER billing_statement_delete_guard AFTER DELETE ON billing_statement
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_closed_rows_refused();

DROP TRIGGER billing_line_immutable ON billing_line;
CREATE TRIGGER billing_line_immutable BEFORE UPDATE ON billing_line
    FOR EACH ROW EXECUTE FUNCTION billing_closed_is_immutable();
CREATE TRIGGER billing_line_insert_guard AFTER INSERT ON billing_line
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_closed_rows_refused();
CREATE TRIGGER billing_line_delete_guard AFTER DELETE ON billing_line
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_closed_rows_refused();
