using System.Collections.Immutable;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>One revision of a billing run, as the billing tables key it.</summary>
public sealed record BillingRunId(int Year, BillingRunMode Mode, int Revision)
{
    public string ModeText => BillingExport.Mode(Mode);

    public override string ToString() => $"{Year} {ModeText} revision {Revision}";
}

/// <summary>How far a run has got, as recorded in the tables.</summary>
public sealed record BillingProgress(int EntiTotal, int EntiDone, int EntiFailed, Money Total, int Lines);

/// <summary>
/// The billing tables (sql/schema/0002). Every write is idempotent, so a run resumed after a crash may repeat any of
/// them: nothing is written twice.
/// </summary>
public interface IBillingStore
{
    /// <summary>
    /// Records the run at <paramref name="attempt"/> with its enti, all pending. Nothing happens when that attempt is
    /// recorded already; an earlier attempt of the same (unclosed) run is discarded first.
    /// </summary>
    Task BeginAsync(BillingRunId run, int attempt, LocalDate asOf, string startedBy, Instant startedAt, IReadOnlyCollection<string> enti);

    /// <summary>The enti of the run still pending, by key.</summary>
    Task<IReadOnlyList<string>> PendingAsync(BillingRunId run);

    Task<BillingProgress> ProgressAsync(BillingRunId run);

    /// <summary>
    /// Records the outcomes of several enti in one transaction: for each, its statement and lines when it has lines,
    /// or its failure, or that nothing is due. Only enti still pending are written, so a second write of the same
    /// ente changes nothing.
    /// </summary>
    Task WriteEntiAsync(BillingRunId run, IReadOnlyList<BilledEnte> enti);

    Task CompleteAsync(BillingRunId run, Instant completedAt);

    /// <summary>
    /// Closes the completed run and, in the same transaction, numbers its documents: one per payer, the next numbers
    /// of the year of <paramref name="issuedOn"/> (gap-free, sql/schema/0009), due <paramref name="paymentTermsDays"/>
    /// later. Closing a run already closed changes nothing and numbers nothing.
    /// </summary>
    Task CloseAsync(BillingRunId run, string closedBy, Instant closedAt, LocalDate issuedOn, int paymentTermsDays);

    /// <summary>The numbered documents of a closed final revision, by number (empty before it is closed).</summary>
    Task<ImmutableList<IssuedStatement>> IssuedAsync(int year, int revision);

    /// <summary>The statements of one payer in the run, by ente key.</summary>
    Task<ImmutableList<BilledStatement>> StatementsOfPayerAsync(BillingRunId run, string payerId);

    /// <summary>
    /// Records (or corrects) the PagoPA notice code accounting gave for a numbered document (sql/schema/0009, note 5);
    /// false when the revision has no document for that payer.
    /// </summary>
    Task<bool> RecordNoticeCodeAsync(int year, int revision, string payerId, string noticeCode);

    /// <summary>The payers of the run, with their names, by name then key.</summary>
    Task<ImmutableList<(string PayerId, string PayerName)>> PayersAsync(BillingRunId run);

    /// <summary>Marks the running run cancelled; nothing happens when it is not running.</summary>
    Task CancelAsync(BillingRunId run, string cancelledBy, Instant cancelledAt);

    /// <summary>Every line of the ente in the final revisions of the year before <paramref name="revision"/>, oldest first.</summary>
    Task<IReadOnlyList<BilledLine>> BilledBeforeAsync(int year, int revision, string enteId);

    /// <summary>The statements of the run by ente key, a page at a time.</summary>
    Task<ImmutableList<BilledStatement>> StatementsAsync(BillingRunId run, int skip, int take);

    Task<ImmutableList<BillingRunFailure>> FailuresAsync(BillingRunId run, int max);
}

/// <summary>The outcome of one ente in a billing run: its statement, or why it could not be billed.</summary>
public sealed record BilledEnte(string EnteId, BilledStatement? Statement, string? Failure);

/// <summary>The billing tables in PostgreSQL, on the silo's shared data source.</summary>
public sealed class PostgresBillingStore(NpgsqlDataSource dataSource) : IBillingStore
{
    private const string RunKey = "year = $1 AND mode = $2 AND revision = $3";

    public Task BeginAsync(BillingRunId run, int attempt, LocalDate asOf, string startedBy, Instant startedAt, IReadOnlyCollection<string> enti) =>
        Guarded($"begin billing run {run}", async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
            int? recorded = null;
            string? status = null;
            await using (var read = Command(connection, $"SELECT attempt, status FROM billing_run WHERE {RunKey} FOR UPDATE", run))
            await using (var reader = await read.ExecuteReaderAsync().ConfigureAwait(false))
            {
                if (await reader.ReadAsync().ConfigureAwait(false))
                {
                    recorded = reader.GetInt32(0);
                    status = reader.GetString(1);
                }
            }

            if (recorded == attempt)
            {
                return;
            }

            if (status == "closed")
            {
                throw new InvalidOperationException($"Billing run {run} is closed; it cannot be computed again.");
            }

            if (recorded is not null)
            {
                foreach (var table in new[] { "billing_line", "billing_statement", "billing_run_ente" })
                {
                    await Execute(connection, $"DELETE FROM {table} WHERE {RunKey}", run).ConfigureAwait(false);
                }

                await Execute(connection, $"DELETE FROM billing_run WHERE {RunKey}", run).ConfigureAwait(false);
            }

            await Execute(connection,
                """
                INSERT INTO billing_run (year, mode, revision, attempt, status, as_of, started_by, started_at, enti_total)
                VALUES ($1, $2, $3, $4, 'running', $5, $6, $7, $8)
                """,
                run, attempt, Date(asOf), startedBy, startedAt.ToDateTimeUtc(), enti.Count).ConfigureAwait(false);
            await Execute(connection,
                "INSERT INTO billing_run_ente (year, mode, revision, ente_id) SELECT $1, $2, $3, unnest($4::text[])",
                run, enti.ToArray()).ConfigureAwait(false);
            await tx.CommitAsync().ConfigureAwait(false);
        });

    public Task<IReadOnlyList<string>> PendingAsync(BillingRunId run) =>
        Guarded($"read the pending enti of billing run {run}", async () =>
        {
            await using var command = Command(null, $"SELECT ente_id FROM billing_run_ente WHERE {RunKey} AND outcome = 'pending' ORDER BY ente_id", run);
            var result = new List<string>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                result.Add(reader.GetString(0));
            }

            return (IReadOnlyList<string>)result;
        });

    public Task<BillingProgress> ProgressAsync(BillingRunId run) =>
        Guarded($"read the progress of billing run {run}", async () =>
        {
            await using var command = Command(null,
                $"""
                SELECT (SELECT count(*) FROM billing_run_ente WHERE {RunKey}),
                       (SELECT count(*) FROM billing_run_ente WHERE {RunKey} AND outcome <> 'pending'),
                       (SELECT count(*) FROM billing_run_ente WHERE {RunKey} AND outcome = 'failed'),
                       (SELECT coalesce(sum(total), 0) FROM billing_statement WHERE {RunKey}),
                       (SELECT coalesce(sum(line_count), 0) FROM billing_statement WHERE {RunKey})
                """, run);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            await reader.ReadAsync().ConfigureAwait(false);
            return new BillingProgress(checked((int)reader.GetInt64(0)), checked((int)reader.GetInt64(1)), checked((int)reader.GetInt64(2)),
                Money.Euro(reader.GetDecimal(3)), checked((int)reader.GetInt64(4)));
        });

    public Task WriteEntiAsync(BillingRunId run, IReadOnlyList<BilledEnte> enti) =>
        Guarded($"write {enti.Count} enti of billing run {run}", async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);

            // The outcomes first: the update claims the enti still pending (and locks their rows), so a write repeated
            // after a crash, or racing with another activation's, finds them done and writes nothing for them.
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            await using (var claim = Command(connection,
                $"""
                UPDATE billing_run_ente r SET outcome = o.outcome, error = o.error
                FROM unnest($4::text[], $5::text[], $6::text[]) AS o(ente_id, outcome, error)
                WHERE r.year = $1 AND r.mode = $2 AND r.revision = $3 AND r.ente_id = o.ente_id AND r.outcome = 'pending'
                RETURNING r.ente_id
                """,
                run, enti.Select(e => e.EnteId).ToArray(), enti.Select(Outcome).ToArray(), enti.Select(e => e.Failure).ToArray()))
            await using (var reader = await claim.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    claimed.Add(reader.GetString(0));
                }
            }

            // Then the statements and lines of the claimed enti, by binary COPY: the lines are most of a run's writing.
            var billed = enti.Where(e => claimed.Contains(e.EnteId) && Outcome(e) == "billed").Select(e => e.Statement!).ToList();
            foreach (var statement in billed)
            {
                // The table has no unique key on line_key (sql/schema/0004): a statement with a key twice is refused here.
                var keys = new HashSet<string>(StringComparer.Ordinal);
                if (statement.Lines.FirstOrDefault(l => !keys.Add(l.LineKey)) is { } twice)
                {
                    throw new CstInfrastructureError(
                        $"Could not write ente {statement.EnteId} of billing run {run}: its statement has the line key '{twice.LineKey}' twice.");
                }
            }

            if (billed.Count > 0)
            {
                await using (var copy = await connection.BeginBinaryImportAsync(
                    "COPY billing_statement (year, mode, revision, ente_id, ente_name, payer_id, payer_name, total, line_count) FROM STDIN (FORMAT BINARY)")
                    .ConfigureAwait(false))
                {
                    WriteStatements(copy, run, billed);
                    await copy.CompleteAsync().ConfigureAwait(false);
                }

                await using (var copy = await connection.BeginBinaryImportAsync(
                    """
                    COPY billing_line (year, mode, revision, ente_id, line_no, line_key, service_id, service_name, component_id,
                        component_name, subscription_id, period_start, period_end, months, quantity, unit_price, amount,
                        previously_billed, listino_id, listino_version, section, note) FROM STDIN (FORMAT BINARY)
                    """).ConfigureAwait(false))
                {
                    WriteLines(copy, run, billed);
                    await copy.CompleteAsync().ConfigureAwait(false);
                }
            }

            await tx.CommitAsync().ConfigureAwait(false);
        });

    private static string Outcome(BilledEnte e) => e.Failure is not null ? "failed" : e.Statement is { Lines.Count: > 0 } ? "billed" : "nothing";

    // The rows are written synchronously, field after field, on the thread pool (the store's awaits do not come back to
    // a grain's turn): an await per field was an async state machine per field, 1.3 million per national run, about as
    // much of the silo's CPU as the COPY's formatting itself (docs/benchmarks.md, round 5). A full buffer is sent to the
    // server before the next field, blocking this thread for that send.
    private static void WriteStatements(NpgsqlBinaryImporter copy, BillingRunId run, List<BilledStatement> billed)
    {
        foreach (var s in billed)
        {
            copy.StartRow();
            WriteRunKey(copy, run);
            copy.Write(s.EnteId, NpgsqlDbType.Text);
            copy.Write(s.EnteName, NpgsqlDbType.Text);
            copy.Write(s.PayerId, NpgsqlDbType.Text);
            copy.Write(s.PayerName, NpgsqlDbType.Text);
            copy.Write(s.Total.Euros, NpgsqlDbType.Numeric);
            copy.Write(s.Lines.Count, NpgsqlDbType.Integer);
        }
    }

    private static void WriteLines(NpgsqlBinaryImporter copy, BillingRunId run, List<BilledStatement> billed)
    {
        foreach (var s in billed)
        {
            foreach (var l in s.Lines)
            {
                copy.StartRow();
                WriteRunKey(copy, run);
                copy.Write(s.EnteId, NpgsqlDbType.Text);
                copy.Write(l.LineNo, NpgsqlDbType.Integer);
                copy.Write(l.LineKey, NpgsqlDbType.Text);
                copy.Write(l.ServiceId, NpgsqlDbType.Text);
                copy.Write(l.ServiceName, NpgsqlDbType.Text);
                copy.Write(l.ComponentId, NpgsqlDbType.Text);
                copy.Write(l.ComponentName, NpgsqlDbType.Text);
                WriteOrNull(copy, l.SubscriptionId, NpgsqlDbType.Text);
                copy.Write(l.PeriodStart.ToDateOnly(), NpgsqlDbType.Date);
                copy.Write(l.PeriodEnd.ToDateOnly(), NpgsqlDbType.Date);
                WriteOrNull(copy, l.Months, NpgsqlDbType.Integer);
                copy.Write(l.Quantity, NpgsqlDbType.Numeric);
                copy.Write(l.UnitPrice.Euros, NpgsqlDbType.Numeric);
                copy.Write(l.Amount.Euros, NpgsqlDbType.Numeric);
                WriteOrNull(copy, l.PreviouslyBilled?.Euros, NpgsqlDbType.Numeric);
                copy.Write(l.ListinoId, NpgsqlDbType.Text);
                copy.Write(l.ListinoVersion, NpgsqlDbType.Text);
                copy.Write(l.Section, NpgsqlDbType.Text);
                WriteOrNull(copy, l.Note, NpgsqlDbType.Text);
            }
        }
    }

    private static void WriteRunKey(NpgsqlBinaryImporter copy, BillingRunId run)
    {
        copy.Write(run.Year, NpgsqlDbType.Integer);
        copy.Write(run.ModeText, NpgsqlDbType.Text);
        copy.Write(run.Revision, NpgsqlDbType.Integer);
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, type);
        }
    }

    public Task CompleteAsync(BillingRunId run, Instant completedAt) =>
        Guarded($"complete billing run {run}", () => Execute(null,
            $"UPDATE billing_run SET status = 'completed', completed_at = $4 WHERE {RunKey} AND status = 'running'",
            run, completedAt.ToDateTimeUtc()));

    public Task CloseAsync(BillingRunId run, string closedBy, Instant closedAt, LocalDate issuedOn, int paymentTermsDays) =>
        Guarded($"close billing run {run}", async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
            int closed;
            await using (var close = Command(connection,
                $"UPDATE billing_run SET status = 'closed', closed_by = $4, closed_at = $5 WHERE {RunKey} AND status = 'completed'",
                run, closedBy, closedAt.ToDateTimeUtc()))
            {
                closed = await close.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            if (closed == 1 && run.Mode == BillingRunMode.Final)
            {
                // The year's counter row, locked until commit: closes of the same year take their numbers one after
                // the other, and a rollback leaves no gap (a SEQUENCE would).
                await Execute(connection,
                    "INSERT INTO statement_number_counter (issue_year, last_number) VALUES ($1, 0) ON CONFLICT DO NOTHING",
                    issuedOn.Year).ConfigureAwait(false);
                int last;
                await using (var read = Command(connection,
                    "SELECT last_number FROM statement_number_counter WHERE issue_year = $1 FOR UPDATE", issuedOn.Year))
                {
                    last = (int)(await read.ExecuteScalarAsync().ConfigureAwait(false))!;
                }

                int numbered;
                await using (var number = Command(connection,
                    $"""
                    INSERT INTO statement_document (billing_year, mode, revision, payer_id, payer_name, issue_year, number,
                        issued_on, due_date, total, enti)
                    SELECT $1, $2, $3, payer_id, payer_name, $4, $5 + row_number() OVER (ORDER BY payer_name, payer_id), $6, $7, total, enti
                    FROM (SELECT payer_id, min(payer_name) AS payer_name, sum(total) AS total, count(*) AS enti
                          FROM billing_statement WHERE {RunKey} GROUP BY payer_id) p
                    """,
                    run, issuedOn.Year, last, Date(issuedOn), Date(issuedOn.PlusDays(Math.Max(0, paymentTermsDays)))))
                {
                    numbered = await number.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                await Execute(connection, "UPDATE statement_number_counter SET last_number = $2 WHERE issue_year = $1",
                    issuedOn.Year, last + numbered).ConfigureAwait(false);

                // Each document goes to its payer by PEC: queued here, once (sql/schema/0010), sent by the outbox.
                await Execute(connection,
                    """
                    INSERT INTO outbox_message (kind, source_key, ente, billing_year, revision)
                    SELECT 'statement', 'statement:' || billing_year || '/' || revision || '/' || payer_id, payer_id, billing_year, revision
                    FROM statement_document WHERE billing_year = $1 AND revision = $2 ORDER BY number
                    ON CONFLICT ON CONSTRAINT outbox_message_once DO NOTHING
                    """,
                    run.Year, run.Revision).ConfigureAwait(false);
            }

            await tx.CommitAsync().ConfigureAwait(false);
        });

    public Task<ImmutableList<IssuedStatement>> IssuedAsync(int year, int revision) =>
        Guarded($"read the documents of the final run {year} revision {revision}", async () =>
        {
            await using var command = Command(null,
                """
                SELECT d.payer_id, d.payer_name, d.issue_year, d.number, d.issued_on, d.due_date, d.total, d.enti, p.notice_code
                FROM statement_document d
                LEFT JOIN statement_payment p USING (billing_year, revision, payer_id)
                WHERE d.billing_year = $1 AND d.revision = $2
                ORDER BY d.number
                """, year, revision);
            var result = ImmutableList.CreateBuilder<IssuedStatement>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                result.Add(new IssuedStatement(year, revision, reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                    LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(4)), LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(5)),
                    Money.Euro(reader.GetDecimal(6)), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
            }

            return result.ToImmutable();
        });

    public Task<bool> RecordNoticeCodeAsync(int year, int revision, string payerId, string noticeCode) =>
        Guarded($"record the PagoPA notice code of payer {payerId} in the final run {year} revision {revision}", async () =>
        {
            await using var command = Command(null,
                """
                INSERT INTO statement_payment (billing_year, revision, payer_id, notice_code)
                SELECT billing_year, revision, payer_id, $4 FROM statement_document WHERE billing_year = $1 AND revision = $2 AND payer_id = $3
                ON CONFLICT (billing_year, revision, payer_id) DO UPDATE SET notice_code = EXCLUDED.notice_code, recorded_at = now()
                """, year, revision, payerId, noticeCode);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        });

    public async Task<ImmutableList<BilledStatement>> StatementsOfPayerAsync(BillingRunId run, string payerId)
    {
        var enti = await Guarded($"read the statements of payer {payerId} in billing run {run}", async () =>
        {
            await using var command = Command(null, $"SELECT ente_id FROM billing_statement WHERE {RunKey} AND payer_id = $4 ORDER BY ente_id", run, payerId);
            var ids = new List<string>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }).ConfigureAwait(false);
        var result = ImmutableList.CreateBuilder<BilledStatement>();
        foreach (var id in enti)
        {
            result.AddRange(await StatementsOfAsync(run, id).ConfigureAwait(false));
        }

        return result.ToImmutable();
    }

    public Task<ImmutableList<(string PayerId, string PayerName)>> PayersAsync(BillingRunId run) =>
        Guarded($"read the payers of billing run {run}", async () =>
        {
            await using var command = Command(null,
                $"SELECT payer_id, min(payer_name) FROM billing_statement WHERE {RunKey} GROUP BY payer_id ORDER BY min(payer_name), payer_id", run);
            var result = ImmutableList.CreateBuilder<(string, string)>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                result.Add((reader.GetString(0), reader.GetString(1)));
            }

            return result.ToImmutable();
        });

    public Task CancelAsync(BillingRunId run, string cancelledBy, Instant cancelledAt) =>
        Guarded($"cancel billing run {run}", () => Execute(null,
            $"UPDATE billing_run SET status = 'cancelled', cancelled_by = $4, cancelled_at = $5 WHERE {RunKey} AND status = 'running'",
            run, cancelledBy, cancelledAt.ToDateTimeUtc()));

    public Task<IReadOnlyList<BilledLine>> BilledBeforeAsync(int year, int revision, string enteId) =>
        Guarded($"read what was billed to ente {enteId} for {year}", async () =>
        {
            await using var command = Command(null,
                $"{LineColumns} FROM billing_line WHERE year = $1 AND mode = 'final' AND revision = ANY($2) AND ente_id = $3 ORDER BY revision, line_no",
                year, Enumerable.Range(1, Math.Max(0, revision - 1)).ToArray(), enteId);
            var lines = new List<BilledLine>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                lines.Add(ReadLine(reader));
            }

            return (IReadOnlyList<BilledLine>)lines;
        });

    public Task<ImmutableList<BilledStatement>> StatementsAsync(BillingRunId run, int skip, int take) =>
        ReadStatementsAsync(run, $"SELECT ente_id, ente_name, payer_id, payer_name FROM billing_statement WHERE {RunKey} ORDER BY ente_id OFFSET $4 LIMIT $5",
            (long)skip, (long)take);

    private Task<ImmutableList<BilledStatement>> StatementsOfAsync(BillingRunId run, string enteId) =>
        ReadStatementsAsync(run, $"SELECT ente_id, ente_name, payer_id, payer_name FROM billing_statement WHERE {RunKey} AND ente_id = $4", enteId);

    private Task<ImmutableList<BilledStatement>> ReadStatementsAsync(BillingRunId run, string headsSql, params object[] values) =>
        Guarded($"read the statements of billing run {run}", async () =>
        {
            var heads = new List<BilledStatement>();
            await using (var command = Command(null, headsSql, [run, .. values]))
            await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    heads.Add(new BilledStatement(run.Year, run.Mode, run.Revision, reader.GetString(0), reader.GetString(1),
                        reader.GetString(2), reader.GetString(3), []));
                }
            }

            if (heads.Count == 0)
            {
                return ImmutableList<BilledStatement>.Empty;
            }

            var lines = heads.ToDictionary(h => h.EnteId, _ => new List<BilledLine>(), StringComparer.Ordinal);
            await using (var command = Command(null,
                $"{LineColumns}, ente_id FROM billing_line WHERE {RunKey} AND ente_id = ANY($4) ORDER BY ente_id, line_no",
                run, heads.Select(h => h.EnteId).ToArray()))
            await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    lines[reader.GetString(18)].Add(ReadLine(reader));
                }
            }

            return heads.Select(h => h with { Lines = [.. lines[h.EnteId]] }).ToImmutableList();
        });

    public Task<ImmutableList<BillingRunFailure>> FailuresAsync(BillingRunId run, int max) =>
        Guarded($"read the failures of billing run {run}", async () =>
        {
            await using var command = Command(null,
                $"SELECT ente_id, error FROM billing_run_ente WHERE {RunKey} AND outcome = 'failed' ORDER BY ente_id LIMIT $4", run, (long)max);
            var result = ImmutableList.CreateBuilder<BillingRunFailure>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                result.Add(new BillingRunFailure(reader.GetString(0), reader.GetString(1)));
            }

            return result.ToImmutable();
        });

    private const string LineColumns =
        """
        SELECT line_no, line_key, service_id, service_name, component_id, component_name, subscription_id, period_start,
               period_end, months, quantity, unit_price, amount, previously_billed, listino_id, listino_version, section, note
        """;

    private static BilledLine ReadLine(NpgsqlDataReader r) =>
        new(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
            r.IsDBNull(6) ? null : r.GetString(6),
            LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(7)), LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(8)),
            r.IsDBNull(9) ? null : r.GetInt32(9), Normalized(r.GetDecimal(10)),
            Money.Euro(r.GetDecimal(11)), Money.Euro(r.GetDecimal(12)),
            r.GetString(14), r.GetString(15), r.GetString(16), r.IsDBNull(17) ? null : r.GetString(17),
            r.IsDBNull(13) ? null : Money.Euro(r.GetDecimal(13)));

    private NpgsqlCommand Command(NpgsqlConnection? connection, string sql, params object?[] values)
    {
        var command = connection is null ? dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            if (value is BillingRunId run)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = run.Year });
                command.Parameters.Add(new NpgsqlParameter { Value = run.ModeText });
                command.Parameters.Add(new NpgsqlParameter { Value = run.Revision });
            }
            else
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }
        }

        return command;
    }

    private async Task Execute(NpgsqlConnection? connection, string sql, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>12.000000 read from numeric(18,6) as 12, so quantities print as they were given.</summary>
    private static decimal Normalized(decimal value) => value / 1.000000000000000000000000000000000m;

    private static DateOnly Date(LocalDate date) => date.ToDateOnly();

    private static async Task<T> Guarded<T>(string what, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            // The driver's exception stays inside (this silo only reads it, BillingFaults): it never crosses the wire.
            throw new CstInfrastructureError($"Could not {what}: {e.Message}", e);
        }
    }

    private static async Task Guarded(string what, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            // The driver's exception stays inside (this silo only reads it, BillingFaults): it never crosses the wire.
            throw new CstInfrastructureError($"Could not {what}: {e.Message}", e);
        }
    }
}

/// <summary>
/// Which failures of a billing run pass by themselves and which would come back every time. A run retries the first
/// kind (the database or a silo away, a timeout) at its next tick; an ente failing with the second kind (its data, a
/// broken rule, an amount the tables cannot hold, a constraint or trigger refusing its rows) is recorded as failed
/// with the reason, and the run goes on with the others.
/// </summary>
public static class BillingFaults
{
    /// <summary>The largest amount a statement, line or price can hold: numeric(12,2) in sql/schema/0002.</summary>
    public const decimal MaxStoredAmount = 9_999_999_999.99m;

    /// <summary>Quantities are numeric(18,6): below 10^12.</summary>
    public const decimal MaxStoredQuantity = 999_999_999_999.999999m;

    /// <summary>
    /// Whether the failure may pass by itself: anything not known to come back the same way every time. Only data
    /// and programming faults are known to (arithmetic overflow, a bad argument or format, PostgreSQL refusing the
    /// rows themselves: data exception 22, integrity 23, a trigger's RAISE P0, check option 44); everything else (an
    /// outage, a timeout, a silo going away, an activation moved) is retried.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        AggregateException a => a.InnerExceptions.Any(IsTransient),
        CstInfrastructureError { InnerException: { } inner } => IsTransient(inner),
        PostgresException p => !(p.SqlState[..2] is "22" or "23" or "P0" or "44"),
        CstDomainError or DomainException => false,
        ArithmeticException or ArgumentException or FormatException or InvalidCastException or NullReferenceException
            or IndexOutOfRangeException or KeyNotFoundException or NotSupportedException => false,
        _ => true,
    };

    /// <summary>The reason in plain words: what PostgreSQL said, without the driver's wrapping.</summary>
    public static string Reason(Exception e) => e switch
    {
        AggregateException { InnerException: { } inner } => Reason(inner),
        CstInfrastructureError { InnerException: PostgresException p } => $"the database refused it ({p.SqlState}: {p.MessageText})",
        PostgresException p => $"the database refused it ({p.SqlState}: {p.MessageText})",
        _ => e.Message,
    };

    /// <summary>
    /// Why the statement cannot be written as it is, or null: an amount or quantity too large for the billing tables
    /// (a stored state from before the bounds at input, say), or the same line key twice.
    /// </summary>
    public static string? Unwritable(BilledStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in statement.Lines)
        {
            var what = $"line {l.LineNo} ({l.ServiceId} {l.ComponentId}{(l.SubscriptionId is { } s ? ", " + s : string.Empty)})";
            if (Math.Abs(l.Amount.Euros) > MaxStoredAmount || Math.Abs(l.UnitPrice.Euros) > MaxStoredAmount
                || Math.Abs(l.PreviouslyBilled?.Euros ?? 0m) > MaxStoredAmount)
            {
                return FormattableString.Invariant(
                    $"{what}: amount {l.Amount.Euros:0.00} EUR (unit price {l.UnitPrice.Euros:0.00}) is beyond the largest amount a statement can hold, {MaxStoredAmount:0.00} EUR; correct the price or quantity");
            }

            if (Math.Abs(l.Quantity) > MaxStoredQuantity)
            {
                return FormattableString.Invariant($"{what}: quantity {l.Quantity} is beyond the largest a statement can hold; correct it");
            }

            if (!keys.Add(l.LineKey))
            {
                return $"{what}: the line key '{l.LineKey}' appears twice in its statement";
            }
        }

        decimal total;
        try
        {
            total = statement.Lines.Sum(l => l.Amount.Euros);
        }
        catch (OverflowException)
        {
            total = decimal.MaxValue;
        }

        return Math.Abs(total) > MaxStoredAmount
            ? FormattableString.Invariant($"its total {total:0.00} EUR is beyond the largest amount a statement can hold, {MaxStoredAmount:0.00} EUR; correct the prices or quantities")
            : null;
    }
}
