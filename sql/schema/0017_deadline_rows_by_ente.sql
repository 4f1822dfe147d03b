/*
Cst.Actors schema 0017: the upcoming deadlines keyed by ente first, one index fewer.

Implementation notes:

1) The primary key was (object_kind, object_key, due_date, kind): the rows of one ente's objects went to as many places
   of the index as the ente has objects (an address, a serial), so a bulk import, which writes an ente's objects
   together, touched a page of the index per object, and the whole index once it outgrew shared_buffers (2.5 million
   rows nationally). Now (ente_id, object_kind, object_key, due_date, kind): an ente's rows are next to each other.
   An object never changes ente (its grain refuses another ente), so the key still names one object's rows, and a
   write that replaces them (DELETE then INSERT, 0012) finds them by ente, kind and key.

2) deadline_upcoming_by_ente (ente_id, due_date) is dropped: the key starts with ente_id, which is what the ente's
   rename (UPDATE ... WHERE ente_id) and one ente's deadlines (WHERE ente_id = ... AND due_date BETWEEN ...) look up;
   one ente holds at most a few thousand rows. Three indexes are maintained per row instead of four.
*/

ALTER TABLE deadline_upcoming DROP CONSTRAINT deadline_upcoming_pkey;
ALTER TABLE deadline_upcoming ADD CONSTRAINT deadline_upcoming_pkey PRIMARY KEY (ente_id, object_kind, object_key, due_date, kind);
DROP INDEX IF EXISTS deadline_upcoming_by_ente;
