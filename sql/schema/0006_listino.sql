/*
Cst.Actors schema 0006: the listini (price lists) and their versions as data the CST manages, instead of files
compiled into the silo.

Implementation notes:

1) One row of listino per price list ('cst-padova', 'cit-brescia'); one row of listino_version per version. The
   listino grain (one per listino id) is the only writer; every silo prices with what these rows hold. The YAML
   files shipped in the repository (grains/Cst.Actors.Domain/Catalogue/Listini) seed an empty table on first start,
   as adopted versions; they stay as the examples of the format.

2) A version keeps the whole file it was loaded from (source_file, source_text) and is parsed from it by the same
   loader that validates it on loading; fingerprint is a canonical text of its tariffs and act, so loading the same
   file twice finds every version unchanged and writes nothing.

3) status: 'draft' (loaded, prices nothing) then 'adopted' (prices statements from effective_from, DESIGN rule 13).
   act is the act adopting the tariffs (e.g. "Decreto del Presidente della Provincia n. 45 del 12/10/2020");
   loaded_by/loaded_at and adopted_by/adopted_at are the operators and instants. Two adopted versions of a listino
   never take effect on the same day.

4) An adopted version that any statement line of a final billing run names (billing_line.listino_id and
   listino_version) can never change: the trigger listino_version_used_is_immutable refuses its update or delete.
   A correction is a new version. The grain refuses first with a plain message; the trigger is the backstop.
*/

CREATE TABLE listino
(
    id          text        NOT NULL,
    name        text        NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,

    CONSTRAINT listino_pk PRIMARY KEY (id)
);

CREATE TABLE listino_version
(
    listino_id      text        NOT NULL,
    version         text        NOT NULL,
    effective_from  date        NOT NULL,
    act             text        NOT NULL,
    status          text        NOT NULL,
    source_file     text        NOT NULL,
    source_text     text        NOT NULL,
    fingerprint     text        NOT NULL,
    loaded_by       text        NOT NULL,
    loaded_at       timestamptz NOT NULL,
    adopted_by      text        NULL,
    adopted_at      timestamptz NULL,

    CONSTRAINT listino_version_pk PRIMARY KEY (listino_id, version),
    CONSTRAINT listino_version_listino_fk FOREIGN KEY (listino_id) REFERENCES listino,
    CONSTRAINT listino_version_status CHECK (status IN ('draft', 'adopted')),
    CONSTRAINT listino_version_adopted CHECK ((status = 'adopted') = (adopted_at IS NOT NULL))
);

CREATE UNIQUE INDEX listino_version_adopted_day ON listino_version (listino_id, effective_from) WHERE status = 'adopted';

CREATE FUNCTION listino_version_used_is_immutable() RETURNS trigger
    LANGUAGE plpgsql
AS $fn$
BEGIN
    IF OLD.status = 'adopted' AND EXISTS (
        SELECT 1 FROM billing_line
        WHERE mode = 'final' AND listino_id = OLD.listino_id AND listino_version = OLD.version) THEN
        RAISE EXCEPTION 'version % of listino % has priced statements of a final billing run: % is not allowed',
            OLD.version, OLD.listino_id, TG_OP;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$fn$;

CREATE TRIGGER listino_version_used_is_immutable BEFORE UPDATE OR DELETE ON listino_version
    FOR EACH ROW EXECUTE FUNCTION listino_version_used_is_immutable();
