/*
Cst.Actors schema 0005: billing_line no longer has a foreign key to billing_statement.

PostgreSQL checks a foreign key row by row with a query whose plan each connection prepares once and keeps. A
connection that first writes lines while billing_statement is still empty (the first run of a new database: the table
analyzed empty) keeps a plan that scans billing_statement sequentially, and every later line then scans all the
statements written so far: quadratic. Measured on the 569,913 lines and 7,904 statements of a national run, written
100 enti per transaction in one session: 261 s, against seconds with the plan the key deserves; the year's first
national run took 53 s where the next took 26 s.

A statement and its lines come from one computed statement and are written in the same transaction by the billing
writer (statements first), and a recompute deletes lines before statements; the guards of 0003 keep a closed run
immutable. The other foreign keys point at billing_run, a table of a few rows, where a sequential scan is the right
plan anyway.
*/

ALTER TABLE billing_line DROP CONSTRAINT billing_line_statement_fk;
