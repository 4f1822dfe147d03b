/*
Cst.Actors schema 0008: an audit row names the change it records, once.

Implementation notes:

1) A grain writes its state, then the change's audit row. When the insert fails after the state was written, the
   grain keeps the row in its state and writes it again on the next call, until it is there; a retry must not
   record the change twice. So every row written by a grain carries the id of its change (change_id), and the
   partial unique index below makes the insert idempotent: INSERT ... ON CONFLICT (change_id) WHERE change_id IS NOT
   NULL DO NOTHING.

2) Rows written before this script have no change id (NULL), and so may rows written by hand: the index ignores them.

3) Adding a nullable column with no default rewrites nothing, and the append-only trigger of 0001 concerns UPDATE,
   DELETE and TRUNCATE only.
*/

ALTER TABLE audit ADD COLUMN change_id uuid NULL;

CREATE UNIQUE INDEX audit_change_once ON audit (change_id) WHERE change_id IS NOT NULL;
