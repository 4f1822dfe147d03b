using System.Diagnostics;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Lifecycle;
using Npgsql;
using NpgsqlTypes;

namespace Cst.Actors.Bench;

/// <summary>
/// The raw-SQL baseline: the same subscriptions exported to plain relational tables (<c>bench.ente</c>,
/// <c>bench.population</c>, <c>bench.sub</c>, <c>bench.qty</c>, <c>bench.renewal</c>, <c>bench.use</c>) and the
/// price list as a table (<c>bench.price</c>, from the same listino the grains price with), then one set of SQL queries
/// computing each ente's total for the year with the pricing rules of the charge kinds in the dataset (see
/// <see cref="NationalDataset"/>): months counted with the more-than-half rule, layers of quantity increases,
/// started blocks, full-year, from-second-year, one-offs, renewals, consumption, the membership quota; every line
/// rounded to the cent (half away from zero, as PostgreSQL's <c>round(numeric, 2)</c>) before it is summed.
/// </summary>
public static class SqlBaseline
{
    public static async Task ExportAsync(string connectionString, ImportDocument document, Listino listino)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await Exec(connection, """
            DROP SCHEMA IF EXISTS bench CASCADE;
            CREATE SCHEMA bench;
            CREATE TABLE bench.ente (ente_id text PRIMARY KEY, adhered_on date NOT NULL, withdrawn_on date);
            CREATE TABLE bench.population (ente_id text NOT NULL, year int NOT NULL, inhabitants int NOT NULL, PRIMARY KEY (ente_id, year));
            CREATE TABLE bench.sub (sub_id text PRIMARY KEY, ente_id text NOT NULL, service_id text NOT NULL, variant text,
                activated_on date NOT NULL, quantity numeric NOT NULL, disdetta_on date, ceased_on date);
            CREATE TABLE bench.qty (sub_id text NOT NULL, effective_on date NOT NULL, quantity numeric NOT NULL);
            CREATE TABLE bench.renewal (sub_id text NOT NULL, renewed_on date NOT NULL);
            CREATE TABLE bench.use (sub_id text NOT NULL, recorded_on date NOT NULL, component_id text NOT NULL, quantity numeric NOT NULL);
            CREATE TABLE bench.price (service_id text NOT NULL, component_id text NOT NULL, variant text, kind text NOT NULL,
                price numeric NOT NULL, basis text NOT NULL, block numeric NOT NULL);
            CREATE TABLE bench.quota (band_from int, band_to int, per_inhabitant numeric, flat_above int, flat_amount numeric);
            """);

        // The price list: one row per component and variant it applies to (variant null: all variants).
        // Every date of the dataset is on or after 2020-10-01: the October 2020 version prices all of it.
        var version = listino.VersionInForceOn(new NodaTime.LocalDate(2020, 10, 1));
        await using (var w = await connection.BeginBinaryImportAsync("COPY bench.price FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var service in version.Services)
            {
                foreach (var c in service.Components)
                {
                    var kind = c.Kind switch
                    {
                        ChargeKind.OneOff => "one-off",
                        ChargeKind.AnnualProRata => "annual",
                        ChargeKind.AnnualFullYear => "full-year",
                        ChargeKind.FromSecondYear => "second-year",
                        ChargeKind.FirstYear => "first-year",
                        ChargeKind.Monthly => "monthly",
                        ChargeKind.Consumption => "consumption",
                        ChargeKind.Included => "included",
                        ChargeKind.Renewal => "renewal",
                        _ => throw new InvalidOperationException(c.Kind.ToString()),
                    };
                    var basis = c.Basis switch { QuantityBasis.Flat => "flat", QuantityBasis.PerUnit => "unit", _ => "block" };
                    foreach (var variant in c.Variants.IsDefaultOrEmpty ? [null] : c.Variants.Select(v => (string?)v))
                    {
                        await w.StartRowAsync();
                        await w.WriteAsync(service.Id);
                        await w.WriteAsync(c.Id);
                        await w.WriteAsync(variant, NpgsqlDbType.Text);
                        await w.WriteAsync(kind);
                        await w.WriteAsync(c.Price?.Euros ?? 0m);
                        await w.WriteAsync(basis);
                        await w.WriteAsync(c.BlockSize == 0 ? 1m : c.BlockSize);
                    }
                }
            }

            await w.CompleteAsync();
        }

        var q = version.MembershipQuota!;
        foreach (var band in q.Bands)
        {
            await Exec(connection, "INSERT INTO bench.quota VALUES ($1, $2, $3, $4, $5)",
                band.From, (object?)band.To ?? DBNull.Value, band.PerInhabitant.Euros, (object?)q.FlatAbove ?? DBNull.Value, (object?)q.FlatAmount?.Euros ?? DBNull.Value);
        }

        var subs = new List<(string Id, string Ente, string Service, string? Variant, DateOnly On, decimal Qty, DateOnly? Disdetta, DateOnly? Ceased)>();
        var qty = new List<(string Sub, DateOnly On, decimal Qty)>();
        var renewals = new List<(string Sub, DateOnly On)>();
        var uses = new List<(string Sub, DateOnly On, string Component, decimal Qty)>();
        await using (var w = await connection.BeginBinaryImportAsync("COPY bench.ente FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in document.Enti)
            {
                await w.WriteRowAsync(default, e.IstatCode!, e.AdheredOn!.Value.ToDateOnly(), (object?)e.WithdrawnOn?.ToDateOnly() ?? DBNull.Value);
            }

            await w.CompleteAsync();
        }

        await using (var w = await connection.BeginBinaryImportAsync("COPY bench.population FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in document.Enti)
            {
                foreach (var p in e.Population)
                {
                    await w.WriteRowAsync(default, e.IstatCode!, p.Year, p.Inhabitants);
                }
            }

            await w.CompleteAsync();
        }

        foreach (var e in document.Enti)
        {
            var ente = e.IstatCode!;
            foreach (var m in e.Mailboxes)
            {
                var address = ImportValidator.MailboxKey(m);
                var disdetta = m.Disdetta?.ReceivedOn?.ToDateOnly();
                subs.Add((address, ente, CatalogueChecks.PecServiceId, CatalogueChecks.PecTierVariant(ImportValidator.DefaultListino, m.Tier),
                    m.ActivatedOn!.Value.ToDateOnly(), 1m, disdetta, null));
                foreach (var (changes, variant) in new[] { (m.ExtraSpaceGb, CatalogueChecks.ExtraSpaceVariant), (m.ConservazioneGb, CatalogueChecks.ConservazioneVariant) })
                {
                    if (changes.Count > 0)
                    {
                        subs.Add((address + "#" + variant, ente, CatalogueChecks.PecServiceId, variant, changes[0].EffectiveOn!.Value.ToDateOnly(), changes[0].Quantity, disdetta, null));
                        qty.AddRange(changes.Skip(1).Select(c => (address + "#" + variant, c.EffectiveOn!.Value.ToDateOnly(), c.Quantity)));
                    }
                }
            }

            foreach (var d in e.Devices)
            {
                var variant = d.Kind == Cst.Actors.Domain.Deadlines.FirmaDeviceKind.BusinessKey ? "businesskey" : "firma-remota";
                subs.Add((d.Serial, ente, CatalogueChecks.PecServiceId, variant, d.IssuedOn!.Value.ToDateOnly(), 1m, null, null));
                renewals.AddRange(d.RenewedOn.Select(r => (d.Serial, r.ToDateOnly())));
            }

            foreach (var s in e.Services)
            {
                var key = ImportValidator.ServiceKey(ente, s);
                subs.Add((key, ente, s.Service, s.Variant, s.ActivatedOn!.Value.ToDateOnly(), s.Quantity, s.Disdetta?.ReceivedOn?.ToDateOnly(), s.CeasedOn?.ToDateOnly()));
                qty.AddRange(s.QuantityChanges.Select(c => (key, c.EffectiveOn!.Value.ToDateOnly(), c.Quantity)));
                uses.AddRange(s.Consumption.Select(c => (key, c.RecordedOn!.Value.ToDateOnly(), c.Component!, c.Quantity)));
            }
        }

        await using (var w = await connection.BeginBinaryImportAsync("COPY bench.sub FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var s in subs)
            {
                await w.StartRowAsync();
                await w.WriteAsync(s.Id);
                await w.WriteAsync(s.Ente);
                await w.WriteAsync(s.Service);
                await w.WriteAsync(s.Variant, NpgsqlDbType.Text);
                await w.WriteAsync(s.On);
                await w.WriteAsync(s.Qty);
                await WriteDate(w, s.Disdetta);
                await WriteDate(w, s.Ceased);
            }

            await w.CompleteAsync();
        }

        await Copy(connection, "bench.qty", qty, (w, r) => w.WriteRowAsync(default, r.Sub, r.On, r.Qty));
        await Copy(connection, "bench.renewal", renewals, (w, r) => w.WriteRowAsync(default, r.Sub, r.On));
        await Copy(connection, "bench.use", uses, (w, r) => w.WriteRowAsync(default, r.Sub, r.On, r.Component, r.Qty));
        await Exec(connection, """
            CREATE INDEX ON bench.sub (ente_id);
            CREATE INDEX ON bench.qty (sub_id);
            CREATE INDEX ON bench.renewal (sub_id);
            CREATE INDEX ON bench.use (sub_id);
            ANALYZE bench.ente; ANALYZE bench.population; ANALYZE bench.sub; ANALYZE bench.qty;
            ANALYZE bench.renewal; ANALYZE bench.use; ANALYZE bench.price; ANALYZE bench.quota;
            """);
    }

    /// <summary>
    /// Each ente's total for <paramref name="year"/>, computed in the database by one statement (the pricing rules
    /// in SQL), and the number of priced lines; with the time the query took.
    /// </summary>
    public static async Task<(Dictionary<string, decimal> Totals, long Lines, TimeSpan Elapsed)> ComputeAsync(string connectionString, int year)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        // PostgreSQL's JIT compiles this large query for seconds (2.2 s of 2.5 s at 400 enti on this machine) to
        // save milliseconds: off for the session, as one would for a reporting query run once.
        await Exec(connection, "SET jit = off");
        var watch = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(Query, connection) { CommandTimeout = 600 };
        command.Parameters.Add(new NpgsqlParameter { Value = year });
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        long lines = 0;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                totals[reader.GetString(0)] = reader.GetDecimal(1);
                lines += reader.GetInt64(2);
            }
        }

        return (totals, lines, watch.Elapsed);
    }

    /// <summary>The pricing rules of the dataset's charge kinds, in SQL. $1 is the year.</summary>
    public const string Query = """
        WITH
        y AS (SELECT make_date($1, 1, 1) AS y0, make_date($1 + 1, 1, 1) AS y1),
        month AS (SELECT make_date($1, m, 1) AS ms, (make_date($1, m, 1) + interval '1 month')::date AS me FROM generate_series(1, 12) m),
        -- the end of each subscription: cessation, the disdetta's effect (1 January after receipt), withdrawal
        sub AS (
            SELECT s.*, LEAST(s.ceased_on, make_date(extract(year FROM s.disdetta_on)::int + 1, 1, 1), e.withdrawn_on) AS end_on
            FROM bench.sub s JOIN bench.ente e USING (ente_id)),
        -- states: the activation quantity, then each change (increases only in the dataset)
        state AS (
            SELECT sub_id, activated_on AS from_on, quantity FROM bench.sub
            UNION ALL SELECT sub_id, effective_on, quantity FROM bench.qty),
        seg AS (
            SELECT st.sub_id, st.from_on, st.quantity,
                   COALESCE(lead(st.from_on) OVER (PARTITION BY st.sub_id ORDER BY st.from_on), s.end_on, 'infinity'::date) AS to_on
            FROM state st JOIN sub s USING (sub_id)),
        -- apportioned components (annual pro-rata, from the second year): the subscription's segments in the window
        appo AS (
            SELECT s.ente_id, s.sub_id, p.component_id, p.price,
                   GREATEST(g.from_on, w.w0) AS s0, LEAST(g.to_on, y.y1) AS s1,
                   CASE p.basis WHEN 'flat' THEN 1 WHEN 'unit' THEN g.quantity ELSE ceil(g.quantity / p.block) END AS level
            FROM sub s CROSS JOIN y
            JOIN bench.price p ON p.service_id = s.service_id AND (p.variant IS NULL OR p.variant = s.variant)
                AND p.kind IN ('annual', 'second-year')
            CROSS JOIN LATERAL (SELECT CASE p.kind WHEN 'annual' THEN y.y0
                                   ELSE GREATEST(y.y0, make_date(extract(year FROM s.activated_on)::int + 1, 1, 1)) END AS w0) w
            JOIN seg g ON g.sub_id = s.sub_id
            WHERE LEAST(g.to_on, y.y1) > GREATEST(g.from_on, w.w0)),
        -- layers: each rise of the level over the window, from its start to the end of the last segment
        layer AS (
            SELECT ente_id, price, s0, max(s1) OVER (PARTITION BY sub_id, component_id) AS s1,
                   level - COALESCE(lag(level) OVER (PARTITION BY sub_id, component_id ORDER BY s0), 0) AS thickness
            FROM appo WHERE level > 0),
        apportioned AS (
            SELECT l.ente_id, round(l.price * l.thickness * m.months / 12, 2) AS amount
            FROM layer l
            CROSS JOIN LATERAL (SELECT count(*) AS months FROM month
                                WHERE 2 * GREATEST(0, LEAST(l.s1, me) - GREATEST(l.s0, ms)) > (me - ms)) m
            WHERE l.thickness > 0 AND m.months > 0),
        -- full year (s.5): due in full for any year the service is active at all, at the highest level of the year
        full_year AS (
            SELECT s.ente_id, round(p.price * max(CASE p.basis WHEN 'flat' THEN 1 WHEN 'unit' THEN g.quantity ELSE ceil(g.quantity / p.block) END), 2) AS amount
            FROM sub s CROSS JOIN y
            JOIN bench.price p ON p.service_id = s.service_id AND (p.variant IS NULL OR p.variant = s.variant) AND p.kind = 'full-year'
            JOIN seg g ON g.sub_id = s.sub_id
            WHERE LEAST(g.to_on, y.y1) > GREATEST(g.from_on, y.y0)
            GROUP BY s.ente_id, s.sub_id, p.component_id, p.price),
        -- one-offs: at activation, in the year of the activation date
        one_off AS (
            SELECT s.ente_id, round(p.price * CASE p.basis WHEN 'flat' THEN 1 WHEN 'unit' THEN s.quantity ELSE ceil(s.quantity / p.block) END, 2) AS amount
            FROM sub s CROSS JOIN y
            JOIN bench.price p ON p.service_id = s.service_id AND (p.variant IS NULL OR p.variant = s.variant) AND p.kind = 'one-off'
            WHERE s.activated_on >= y.y0 AND s.activated_on < y.y1),
        renewal AS (
            SELECT s.ente_id, round(p.price * CASE p.basis WHEN 'flat' THEN 1 ELSE s.quantity END, 2) AS amount
            FROM bench.renewal r JOIN sub s USING (sub_id) CROSS JOIN y
            JOIN bench.price p ON p.service_id = s.service_id AND (p.variant IS NULL OR p.variant = s.variant) AND p.kind = 'renewal'
            WHERE r.renewed_on >= y.y0 AND r.renewed_on < y.y1),
        consumption AS (
            SELECT s.ente_id, round(p.price * u.quantity, 2) AS amount
            FROM bench.use u JOIN sub s USING (sub_id) CROSS JOIN y
            JOIN bench.price p ON p.service_id = s.service_id AND p.component_id = u.component_id AND p.kind = 'consumption'
            WHERE u.recorded_on >= y.y0 AND u.recorded_on < y.y1),
        -- included components: a line at EUR 0.00 for each year the subscription is active
        included AS (
            SELECT DISTINCT s.ente_id, s.sub_id, p.component_id, 0::numeric AS amount
            FROM sub s CROSS JOIN y
            JOIN bench.price p ON p.service_id = s.service_id AND (p.variant IS NULL OR p.variant = s.variant) AND p.kind = 'included'
            JOIN seg g ON g.sub_id = s.sub_id
            WHERE LEAST(g.to_on, y.y1) > GREATEST(g.from_on, y.y0)),
        -- membership quota: population at 1 January, bands or flat, pro-rated by months in the adhesion year
        quota AS (
            SELECT e.ente_id,
                   round(CASE WHEN pop.inhabitants > (SELECT max(flat_above) FROM bench.quota) THEN (SELECT max(flat_amount) FROM bench.quota)
                              ELSE (SELECT sum(per_inhabitant * GREATEST(0, LEAST(pop.inhabitants, COALESCE(band_to, pop.inhabitants)) - band_from + 1)) FROM bench.quota)
                         END * m.months / 12, 2) AS amount
            FROM bench.ente e CROSS JOIN y
            JOIN bench.population pop ON pop.ente_id = e.ente_id AND pop.year = $1
            CROSS JOIN LATERAL (SELECT GREATEST(e.adhered_on, y.y0) AS q0, LEAST(COALESCE(e.withdrawn_on, y.y1), y.y1) AS q1) span
            CROSS JOIN LATERAL (SELECT count(*) AS months FROM month
                                WHERE 2 * GREATEST(0, LEAST(span.q1, me) - GREATEST(span.q0, ms)) > (me - ms)) m
            WHERE span.q1 > span.q0 AND m.months > 0),
        line AS (
            SELECT ente_id, amount FROM apportioned
            UNION ALL SELECT ente_id, amount FROM full_year
            UNION ALL SELECT ente_id, amount FROM one_off
            UNION ALL SELECT ente_id, amount FROM renewal
            UNION ALL SELECT ente_id, amount FROM consumption
            UNION ALL SELECT ente_id, amount FROM included
            UNION ALL SELECT ente_id, amount FROM quota)
        SELECT ente_id, sum(amount) AS total, count(*) AS lines FROM line GROUP BY ente_id ORDER BY ente_id
        """;

    private static async Task WriteDate(NpgsqlBinaryImporter w, DateOnly? date)
    {
        if (date is { } d)
        {
            await w.WriteAsync(d);
        }
        else
        {
            await w.WriteNullAsync();
        }
    }

    private static async Task Copy<T>(NpgsqlConnection connection, string table, List<T> rows, Func<NpgsqlBinaryImporter, T, Task> write)
    {
        await using var w = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await write(w, row);
        }

        await w.CompleteAsync();
    }

    private static async Task Exec(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var v in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = v });
        }

        await command.ExecuteNonQueryAsync();
    }
}
