/*
Cst.Actors — Orleans ADO.NET providers on PostgreSQL (15+), part 4 of 4: reminders.
Written for this project against the contract of Orleans 10.4.2 (Microsoft.Orleans.Reminders.AdoNet).

Implementation notes:

1) One row per (service id, grain id, reminder name). The grain id is the full text form "type/key". Orleans'
   script limits it to 150 characters, so a grain whose storage row is fine could not register a reminder; here it
   may be as long as grain storage allows (a 512-character type, '/', a 512-character key). Reminder names may have
   up to 512 characters.

2) Query keys (7): UpsertReminderRowKey, ReadReminderRowsKey, ReadReminderRowKey, ReadRangeRows1Key,
   ReadRangeRows2Key, DeleteReminderRowKey, DeleteReminderRowsKey. Parameters: @ServiceId, @GrainId, @ReminderName,
   @StartTime (UTC), @Period (milliseconds, sent as int or bigint), @GrainHash, @BeginHash, @EndHash (the uint
   hashes reinterpreted as signed int), @Version. Rows are read by name: GrainId, ReminderName, StartTime, Period
   (read as a 64-bit integer), Version.

3) ETag semantics: a new reminder gets version 0, every upsert of an existing one increments it; the upsert
   returns the version (column Version). A delete succeeds (returns 1) only for the version the caller holds.

4) Range reads. Each silo owns the ring range (BeginHash, EndHash] of grain hashes. The provider compares the two
   bounds as signed integers: when Begin < End it uses ReadRangeRows1Key, hash > Begin AND hash <= End; otherwise
   (the range wraps past the top, or Begin = End meaning the whole ring) ReadRangeRows2Key, hash > Begin OR
   hash <= End, written here as two disjoint ranges (UNION ALL) so that both use the index. The index
   (service_id, grain_hash) serves both; Orleans' script has none and scans the table.
*/

CREATE TABLE orleans_reminders
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,

    CONSTRAINT orleans_reminders_pk PRIMARY KEY (service_id, grain_id, reminder_name),
    CONSTRAINT orleans_reminders_service_length CHECK (char_length(service_id) <= 150),
    CONSTRAINT orleans_reminders_grain_length CHECK (char_length(grain_id) <= 1025),
    CONSTRAINT orleans_reminders_name_length CHECK (char_length(reminder_name) <= 512),
    CONSTRAINT orleans_reminders_period_positive CHECK (period_ms >= 0)
);

CREATE INDEX orleans_reminders_hash_ix ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'UpsertReminderRowKey', $q$
    INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
    VALUES (CAST(@ServiceId AS text), CAST(@GrainId AS text), CAST(@ReminderName AS text),
            CAST(@StartTime AS timestamptz), CAST(@Period AS bigint), CAST(@GrainHash AS integer), 0)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
        SET start_time = EXCLUDED.start_time,
            period_ms = EXCLUDED.period_ms,
            grain_hash = EXCLUDED.grain_hash,
            version = orleans_reminders.version + 1
    RETURNING version AS "Version";
$q$
),
(
    'ReadReminderRowsKey', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period_ms AS "Period", version AS "Version"
    FROM orleans_reminders
    WHERE service_id = CAST(@ServiceId AS text)
      AND grain_id = CAST(@GrainId AS text);
$q$
),
(
    'ReadReminderRowKey', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period_ms AS "Period", version AS "Version"
    FROM orleans_reminders
    WHERE service_id = CAST(@ServiceId AS text)
      AND grain_id = CAST(@GrainId AS text)
      AND reminder_name = CAST(@ReminderName AS text);
$q$
),
(
    'ReadRangeRows1Key', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period_ms AS "Period", version AS "Version"
    FROM orleans_reminders
    WHERE service_id = CAST(@ServiceId AS text)
      AND grain_hash > CAST(@BeginHash AS integer)
      AND grain_hash <= CAST(@EndHash AS integer);
$q$
),
(
    'ReadRangeRows2Key', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period_ms AS "Period", version AS "Version"
    FROM orleans_reminders
    WHERE service_id = CAST(@ServiceId AS text)
      AND grain_hash > CAST(@BeginHash AS integer)
    UNION ALL
    SELECT grain_id, reminder_name, start_time, period_ms, version
    FROM orleans_reminders
    WHERE service_id = CAST(@ServiceId AS text)
      AND grain_hash <= CAST(@EndHash AS integer);
$q$
),
(
    'DeleteReminderRowKey', $q$
    WITH deleted AS (
        DELETE FROM orleans_reminders
        WHERE service_id = CAST(@ServiceId AS text)
          AND grain_id = CAST(@GrainId AS text)
          AND reminder_name = CAST(@ReminderName AS text)
          AND version = CAST(@Version AS integer)
        RETURNING 1
    )
    SELECT count(*)::integer AS "RowCount" FROM deleted;
$q$
),
(
    'DeleteReminderRowsKey', $q$
    DELETE FROM orleans_reminders WHERE service_id = CAST(@ServiceId AS text);
$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
