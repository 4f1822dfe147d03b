/*
Cst.Actors — Orleans ADO.NET providers on PostgreSQL (15+), part 2 of 4: cluster membership.
Written for this project against the contract of Orleans 10.4.2 (Microsoft.Orleans.Clustering.AdoNet).

Implementation notes:

1) Tables. orleans_membership_version holds one row per deployment (Orleans' ClusterId, passed as @DeploymentId)
   with the table version that every membership change must check and increment. orleans_membership holds one row
   per silo incarnation, keyed by (deployment, address, port, generation).

2) Query keys (9): InsertMembershipVersionKey, InsertMembershipKey, UpdateMembershipKey, UpdateIAmAlivetimeKey,
   MembershipReadRowKey, MembershipReadAllKey, GatewaysQueryKey, DeleteMembershipTableEntriesKey and
   CleanupDefunctSiloEntriesKey (required by 10.4.2, missing from Orleans' PostgreSQL script up to 10.2.2).
   Parameters: @DeploymentId, @Address (text, IPv4 or IPv6), @Port, @Generation, @SiloName, @HostName, @Status,
   @ProxyPort, @SuspectTimes (text or NULL), @StartTime, @IAmAliveTime (UTC timestamps), @Version (integer).
   Results are read by column name: every output column is aliased to the exact name Orleans reads.

3) Version check without ASSERT. An insert or update of a silo row must succeed only if @Version is still the
   table version, and then increment it; otherwise nothing may change and the query returns 0. Each is ONE
   statement: first the conditional UPDATE of the version row (which locks it, so concurrent writers queue there
   and re-check the version after the winner commits), then the write to orleans_membership chained on the row the
   first UPDATE returned. Hence a silo row is never written unless the version was incremented (no orphan rows
   when the check fails). The opposite partial outcome (version incremented, silo row not written because it
   vanished meanwhile) aborts the whole statement with an explicit exception (cst_orleans_abort), which Orleans
   treats as a failed write and retries. Inserting a silo row that already exists returns 0 without side effects.

4) UpdateIAmAlivetimeKey writes only the heartbeat column and does not touch the version: Orleans never checks its
   result. CleanupDefunctSiloEntriesKey deletes rows of silos that are not Active (status 3) and whose heartbeat is
   older than @IAmAliveTime, as Orleans does; it does not change the version either.

5) Timestamps are timestamptz. Orleans passes UTC DateTime values; the wiring also sets the session time zone to
   UTC so an unspecified kind is read as UTC too.
*/

CREATE TABLE orleans_membership_version
(
    deployment_id text        NOT NULL,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    version       integer     NOT NULL DEFAULT 0,

    CONSTRAINT orleans_membership_version_pk PRIMARY KEY (deployment_id),
    CONSTRAINT orleans_membership_version_deployment_length CHECK (char_length(deployment_id) <= 150)
);

CREATE TABLE orleans_membership
(
    deployment_id   text        NOT NULL,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,

    CONSTRAINT orleans_membership_pk PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT orleans_membership_version_fk FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    CONSTRAINT orleans_membership_address_length CHECK (char_length(address) <= 45)
);

-- Raises an error so that the statement calling it is rolled back as a whole (see note 3). Volatile on purpose:
-- it must run only when the CASE branch that calls it is taken, never be folded at plan time.
CREATE FUNCTION cst_orleans_abort(message text) RETURNS integer
    LANGUAGE plpgsql VOLATILE
AS $fn$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'serialization_failure', MESSAGE = message;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'InsertMembershipVersionKey', $q$
    WITH inserted AS (
        INSERT INTO orleans_membership_version (deployment_id)
        VALUES (CAST(@DeploymentId AS text))
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer AS "RowCount" FROM inserted;
$q$
),
(
    'InsertMembershipKey', $q$
    WITH bumped AS (
        UPDATE orleans_membership_version v
        SET version = v.version + 1, changed_at = now()
        WHERE v.deployment_id = CAST(@DeploymentId AS text)
          AND v.version = CAST(@Version AS integer)
          AND NOT EXISTS (
              SELECT 1 FROM orleans_membership m
              WHERE m.deployment_id = v.deployment_id
                AND m.address = CAST(@Address AS text)
                AND m.port = CAST(@Port AS integer)
                AND m.generation = CAST(@Generation AS integer))
        RETURNING v.deployment_id
    ),
    inserted AS (
        INSERT INTO orleans_membership
            (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
             suspect_times, start_time, i_am_alive_time)
        SELECT b.deployment_id, CAST(@Address AS text), CAST(@Port AS integer), CAST(@Generation AS integer),
               CAST(@SiloName AS text), CAST(@HostName AS text), CAST(@Status AS integer),
               coalesce(CAST(@ProxyPort AS integer), 0), NULL,
               CAST(@StartTime AS timestamptz), CAST(@IAmAliveTime AS timestamptz)
        FROM bumped b
        RETURNING 1
    )
    SELECT count(*)::integer AS "RowCount" FROM inserted;
$q$
),
(
    'UpdateMembershipKey', $q$
    WITH bumped AS (
        UPDATE orleans_membership_version v
        SET version = v.version + 1, changed_at = now()
        WHERE v.deployment_id = CAST(@DeploymentId AS text)
          AND v.version = CAST(@Version AS integer)
          AND EXISTS (
              SELECT 1 FROM orleans_membership m
              WHERE m.deployment_id = v.deployment_id
                AND m.address = CAST(@Address AS text)
                AND m.port = CAST(@Port AS integer)
                AND m.generation = CAST(@Generation AS integer))
        RETURNING v.deployment_id
    ),
    updated AS (
        UPDATE orleans_membership m
        SET status = CAST(@Status AS integer),
            suspect_times = CAST(@SuspectTimes AS text),
            i_am_alive_time = CAST(@IAmAliveTime AS timestamptz)
        FROM bumped b
        WHERE m.deployment_id = b.deployment_id
          AND m.address = CAST(@Address AS text)
          AND m.port = CAST(@Port AS integer)
          AND m.generation = CAST(@Generation AS integer)
        RETURNING 1
    )
    SELECT CASE
        WHEN (SELECT count(*) FROM updated) = (SELECT count(*) FROM bumped)
            THEN (SELECT count(*) FROM updated)::integer
        ELSE cst_orleans_abort('membership row vanished while its update was being versioned; nothing was changed')
    END AS "RowCount";
$q$
),
(
    'UpdateIAmAlivetimeKey', $q$
    UPDATE orleans_membership
    SET i_am_alive_time = CAST(@IAmAliveTime AS timestamptz)
    WHERE deployment_id = CAST(@DeploymentId AS text)
      AND address = CAST(@Address AS text)
      AND port = CAST(@Port AS integer)
      AND generation = CAST(@Generation AS integer);
$q$
),
(
    'MembershipReadRowKey', $q$
    SELECT
        v.deployment_id   AS "DeploymentId",
        m.address         AS "Address",
        m.port            AS "Port",
        m.generation      AS "Generation",
        m.silo_name       AS "SiloName",
        m.host_name       AS "HostName",
        m.status          AS "Status",
        m.proxy_port      AS "ProxyPort",
        m.suspect_times   AS "SuspectTimes",
        m.start_time      AS "StartTime",
        m.i_am_alive_time AS "IAmAliveTime",
        v.version         AS "Version"
    FROM orleans_membership_version v
    -- The version row comes back even when the silo row does not exist (its columns are then NULL).
    LEFT JOIN orleans_membership m
        ON m.deployment_id = v.deployment_id
       AND m.address = CAST(@Address AS text)
       AND m.port = CAST(@Port AS integer)
       AND m.generation = CAST(@Generation AS integer)
    WHERE v.deployment_id = CAST(@DeploymentId AS text);
$q$
),
(
    'MembershipReadAllKey', $q$
    SELECT
        v.deployment_id   AS "DeploymentId",
        m.address         AS "Address",
        m.port            AS "Port",
        m.generation      AS "Generation",
        m.silo_name       AS "SiloName",
        m.host_name       AS "HostName",
        m.status          AS "Status",
        m.proxy_port      AS "ProxyPort",
        m.suspect_times   AS "SuspectTimes",
        m.start_time      AS "StartTime",
        m.i_am_alive_time AS "IAmAliveTime",
        v.version         AS "Version"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = CAST(@DeploymentId AS text);
$q$
),
(
    'GatewaysQueryKey', $q$
    SELECT
        address    AS "Address",
        proxy_port AS "ProxyPort",
        generation AS "Generation"
    FROM orleans_membership
    WHERE deployment_id = CAST(@DeploymentId AS text)
      AND status = CAST(@Status AS integer)
      AND proxy_port > 0;
$q$
),
(
    'DeleteMembershipTableEntriesKey', $q$
    WITH members AS (
        DELETE FROM orleans_membership WHERE deployment_id = CAST(@DeploymentId AS text)
    )
    DELETE FROM orleans_membership_version WHERE deployment_id = CAST(@DeploymentId AS text);
$q$
),
(
    'CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM orleans_membership
    WHERE deployment_id = CAST(@DeploymentId AS text)
      AND i_am_alive_time < CAST(@IAmAliveTime AS timestamptz)
      AND status <> 3;
$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
