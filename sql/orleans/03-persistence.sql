/*
Cst.Actors — Orleans ADO.NET providers on PostgreSQL (15+), part 3 of 4: grain storage.
Written for this project against the contract of Orleans 10.4.2 (Microsoft.Orleans.Persistence.AdoNet).

Implementation notes:

1) One row per grain state: (service id, grain type, grain key) where the key is N0/N1 (a Guid or integer key split
   in two 64-bit halves) plus an optional string part (a string key, or the extension of a compound key). The
   provider also sends two 32-bit hashes (grain id, grain type) that lead the lookup index.

2) Unlike Orleans' script, the table has a real unique key, so two rows for one grain cannot exist. The string part
   is NULL for keys without one: the key is UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+), so NULL counts as one value.
   The hashes lead the key (they are a function of the rest, so uniqueness is the same) and make the single index
   serve every lookup. Grain type and string key are limited to 512 characters, as in Orleans; the whole key must
   stay under PostgreSQL's btree limit (about 2.7 kB), which ASCII type names and keys always do.

3) Query keys (4): ReadFromStorageKey, WriteToStorageKey, ClearStorageKey, DeleteStorageKey (the last is used when
   DeleteStateOnClear is set). Parameters: @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
   @GrainIdExtensionString (NULL when absent), @ServiceId, @GrainStateVersion (the ETag as integer, NULL when the
   grain has none), @PayloadBinary. Results are read by name: PayloadBinary and Version for reads,
   NewGrainStateVersion for writes; clear and delete return the new version in their first column.

4) ETag semantics. The version is an integer that every write increments. A write with a NULL version inserts the
   row with version 1 only if none exists (ON CONFLICT DO NOTHING on the unique key: of two concurrent first writes
   exactly one wins, without table locks). A write with version n updates only the row whose version is still n and
   returns n + 1. When nothing was written the query returns NULL, which the provider reports as an
   InconsistentStateException. Clear keeps the row with a NULL payload and returns version + 1; delete removes it
   and returns version + 1 of the removed row (the provider then forgets the ETag).

5) Every query is a single statement (data-modifying CTEs for the write): no functions, nothing to roll back by hand.
*/

CREATE TABLE orleans_storage
(
    grain_id_hash      integer     NOT NULL,
    grain_type_hash    integer     NOT NULL,
    service_id         text        NOT NULL,
    grain_type         text        NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NULL,
    payload            bytea       NULL,
    version            integer     NOT NULL,
    modified_on        timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT orleans_storage_key UNIQUE NULLS NOT DISTINCT
        (grain_id_hash, grain_type_hash, service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension),
    CONSTRAINT orleans_storage_service_length CHECK (char_length(service_id) <= 150),
    CONSTRAINT orleans_storage_type_length CHECK (char_length(grain_type) <= 512),
    CONSTRAINT orleans_storage_extension_length CHECK (char_length(grain_id_extension) <= 512)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'ReadFromStorageKey', $q$
    SELECT
        payload AS "PayloadBinary",
        version AS "Version"
    FROM orleans_storage
    WHERE grain_id_hash = CAST(@GrainIdHash AS integer)
      AND grain_type_hash = CAST(@GrainTypeHash AS integer)
      AND service_id = CAST(@ServiceId AS text)
      AND grain_type = CAST(@GrainTypeString AS text)
      AND grain_id_n0 = CAST(@GrainIdN0 AS bigint)
      AND grain_id_n1 = CAST(@GrainIdN1 AS bigint)
      AND grain_id_extension IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text);
$q$
),
(
    'WriteToStorageKey', $q$
    WITH updated AS (
        UPDATE orleans_storage
        SET payload = CAST(@PayloadBinary AS bytea),
            version = version + 1,
            modified_on = now()
        WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
          AND version = CAST(@GrainStateVersion AS integer)
          AND grain_id_hash = CAST(@GrainIdHash AS integer)
          AND grain_type_hash = CAST(@GrainTypeHash AS integer)
          AND service_id = CAST(@ServiceId AS text)
          AND grain_type = CAST(@GrainTypeString AS text)
          AND grain_id_n0 = CAST(@GrainIdN0 AS bigint)
          AND grain_id_n1 = CAST(@GrainIdN1 AS bigint)
          AND grain_id_extension IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
        RETURNING version
    ),
    inserted AS (
        INSERT INTO orleans_storage
            (grain_id_hash, grain_type_hash, service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension,
             payload, version)
        SELECT CAST(@GrainIdHash AS integer), CAST(@GrainTypeHash AS integer), CAST(@ServiceId AS text),
               CAST(@GrainTypeString AS text), CAST(@GrainIdN0 AS bigint), CAST(@GrainIdN1 AS bigint),
               CAST(@GrainIdExtensionString AS text), CAST(@PayloadBinary AS bytea), 1
        WHERE CAST(@GrainStateVersion AS integer) IS NULL
        ON CONFLICT ON CONSTRAINT orleans_storage_key DO NOTHING
        RETURNING version
    )
    SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted) AS "NewGrainStateVersion";
$q$
),
(
    'ClearStorageKey', $q$
    UPDATE orleans_storage
    SET payload = NULL,
        version = version + 1,
        modified_on = now()
    WHERE version = CAST(@GrainStateVersion AS integer)
      AND grain_id_hash = CAST(@GrainIdHash AS integer)
      AND grain_type_hash = CAST(@GrainTypeHash AS integer)
      AND service_id = CAST(@ServiceId AS text)
      AND grain_type = CAST(@GrainTypeString AS text)
      AND grain_id_n0 = CAST(@GrainIdN0 AS bigint)
      AND grain_id_n1 = CAST(@GrainIdN1 AS bigint)
      AND grain_id_extension IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
    RETURNING version AS "NewGrainStateVersion";
$q$
),
(
    'DeleteStorageKey', $q$
    DELETE FROM orleans_storage
    WHERE version = CAST(@GrainStateVersion AS integer)
      AND grain_id_hash = CAST(@GrainIdHash AS integer)
      AND grain_type_hash = CAST(@GrainTypeHash AS integer)
      AND service_id = CAST(@ServiceId AS text)
      AND grain_type = CAST(@GrainTypeString AS text)
      AND grain_id_n0 = CAST(@GrainIdN0 AS bigint)
      AND grain_id_n1 = CAST(@GrainIdN1 AS bigint)
      AND grain_id_extension IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
    RETURNING version + 1 AS "NewGrainStateVersion";
$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
