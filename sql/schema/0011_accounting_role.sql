/*
Cst.Actors schema 0011: accounting, a read-only role for the CST's accounting office.

Implementation notes:

1) accounting (NOLOGIN) may read what accounting queries with plain SQL (DESIGN.md section 1): the billing tables
   and views, the numbered statement documents and their delivery (outbox), the notices, the audit log and the
   listini. Nothing else: no grain state, membership or reminders, and no write anywhere. A person logs in with a role of their own that is a member of it:
       CREATE ROLE ragioneria LOGIN PASSWORD '...' IN ROLE accounting;
   The silo's own role owns the schema and keeps every right.

2) Roles belong to the PostgreSQL server, not to one database: the role is created only when missing (a migration of
   another database may have created it, even at the same moment), and only when the silo's role may create roles
   (the embedded server's is a superuser). Otherwise the script says so and grants nothing; a DBA creates the role and
   runs the GRANTs below by hand.

3) The grants cover the objects that exist now. A later script that adds a table accounting must read grants it there.
*/

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'accounting') THEN
        IF NOT (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            RAISE NOTICE 'role accounting not created: % may not create roles; a DBA creates it (CREATE ROLE accounting NOLOGIN) and runs the GRANTs of 0011_accounting_role.sql', current_user;
            RETURN;
        END IF;

        BEGIN
            CREATE ROLE accounting NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;

    EXECUTE format('GRANT USAGE ON SCHEMA %I TO accounting', current_schema());
    GRANT SELECT ON billing_run, billing_run_ente, billing_statement, billing_line,
        billing_total, billing_total_by_service, billing_total_by_listino_version, billing_total_by_payer,
        notice, audit, listino, listino_version,
        statement_document, statement_payment, outbox_message
        TO accounting;
END
$$;
