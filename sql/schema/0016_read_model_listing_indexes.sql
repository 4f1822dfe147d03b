/*
Cst.Actors schema 0016: indexes for listing the read models at national scale (7,904 enti, 500,000 objects).

Implementation notes:

1) A full listing of the upcoming deadlines (cst deadlines) reads window after window by key: after the last row of the
   previous window, a row comparison on (due_date, kind, ente_name, object_key, object_kind), which is an index
   condition on deadline_upcoming_by_due. The index now also holds ente_id and description, so a window is read from
   the index alone (an index-only scan, the table's pages all-visible once vacuumed) instead of one table page per
   row: the rows are in the index's order, the table's are in the order they were written. Measured on 2,000,000
   rows, 1,050,000 of them in the next 30 days: a window of 10,000 rows 96 ms before, 12 ms after; an OFFSET window
   deep in the list (OFFSET 900,000) took 11.4 s and is no longer used for a full listing.

2) deadline_upcoming_by_day holds the due date alone: the console's count of the rows of the next N days reads this
   small index (13 MB beside 324 MB for the list's) instead of deadline_upcoming_by_ente.

3) The notices are read newest due date first, then newest id: with an index on (due_date, id) read backwards, the
   latest page reads its own rows only. With the index on the due date alone, all the notices of the latest day were
   read and sorted (at the end of a year, one notice per object on the same day). The same for one ente's.
*/

DROP INDEX IF EXISTS deadline_upcoming_by_due;
CREATE INDEX deadline_upcoming_by_due ON deadline_upcoming (due_date, kind, ente_name, object_key, object_kind)
    INCLUDE (ente_id, description);
CREATE INDEX deadline_upcoming_by_day ON deadline_upcoming (due_date);

DROP INDEX IF EXISTS notice_due_ix;
CREATE INDEX notice_due_ix ON notice (due_date, id);
DROP INDEX IF EXISTS notice_ente_due_ix;
CREATE INDEX notice_ente_due_ix ON notice (ente, due_date, id);
