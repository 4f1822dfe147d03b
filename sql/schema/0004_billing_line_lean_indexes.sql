/*
Cst.Actors schema 0004: billing_line keeps one index, its primary key.

Writing the lines is most of a billing run's database work (about 570,000 rows for a national run), and each index is
updated for every row: measured on a national run's lines, inserting them took 12.5-13.9 s with the three indexes of
0002 and 8.5 s without the two dropped here. What they did is done otherwise:
- billing_line_key_once (a line key once per statement): the keys are unique by construction (LineKeys numbers a
  repeated key #2, #3...), and the writer checks them before writing a statement, refusing the whole write as this
  constraint did;
- billing_line_ente_ix (an ente's lines across revisions): the primary key (year, mode, revision, ente_id, line_no)
  serves the same lookup when the revisions are listed (revision = ANY (...)), as the writer now asks.
*/

ALTER TABLE billing_line DROP CONSTRAINT billing_line_key_once;
DROP INDEX billing_line_ente_ix;
