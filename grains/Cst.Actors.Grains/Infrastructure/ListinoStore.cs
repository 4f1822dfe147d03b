using System.Collections.Immutable;
using Cst.Actors.Domain.Catalogue;
using NodaTime;
using Npgsql;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>
/// The listini and their versions (sql/schema/0006). An empty table is seeded with the shipped YAML files, as adopted
/// versions, the first time it is read.
/// </summary>
public interface IListinoStore
{
    Task<ImmutableList<string>> ListinoIdsAsync();

    /// <summary>The listino and every version held of it, parsed from the files they were loaded from; null when unknown.</summary>
    Task<ListinoBook?> ReadAsync(string listinoId);

    /// <summary>
    /// Writes the listino row, the versions named (inserted, or replaced) and the audit row of the change, in one
    /// transaction: a load or an adoption is stored with its audit row or not at all.
    /// </summary>
    Task SaveAsync(ListinoBook book, IReadOnlyCollection<string> versions, string operatorName, Instant at, AuditEntry audit);

    /// <summary>The versions of the listino that statement lines of a final billing run name.</summary>
    Task<ImmutableHashSet<string>> UsedByFinalRunsAsync(string listinoId);

    /// <summary>Seeds an empty listino table with the shipped files (done by the first read otherwise).</summary>
    Task EnsureSeededAsync();
}

/// <summary>
/// Seeds the listino tables when the silo starts (the schema is migrated before), so the first grain call that prices
/// or checks a tariff does not pay for it.
/// </summary>
public sealed class ListinoSeeding(IListinoStore store) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(ListinoSeeding), ServiceLifecycleStage.ApplicationServices, _ => store.EnsureSeededAsync());
    }
}

/// <summary>The listino tables in PostgreSQL, on the silo's shared data source.</summary>
public sealed class PostgresListinoStore(NpgsqlDataSource dataSource, IClock clock) : IListinoStore
{
    /// <summary>Who loaded the shipped versions into an empty database.</summary>
    public const string ShippedLoader = "cst-silo (shipped listini)";

    private readonly SemaphoreSlim _seeding = new(1, 1);
    private bool _seeded;

    public async Task<ImmutableList<string>> ListinoIdsAsync()
    {
        await EnsureSeededAsync().ConfigureAwait(false);
        await using var command = dataSource.CreateCommand("SELECT id FROM listino ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var ids = ImmutableList.CreateBuilder<string>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids.ToImmutable();
    }

    public async Task<ListinoBook?> ReadAsync(string listinoId)
    {
        await EnsureSeededAsync().ConfigureAwait(false);
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        string? name = null;
        await using (var command = new NpgsqlCommand("SELECT name FROM listino WHERE id = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = listinoId });
            name = (string?)await command.ExecuteScalarAsync().ConfigureAwait(false);
        }

        if (name is null)
        {
            return null;
        }

        var versions = ImmutableList.CreateBuilder<HeldListinoVersion>();
        var parsed = new Dictionary<(string, string), Listino>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT version, act, status, source_file, source_text, loaded_by, loaded_at, adopted_by, adopted_at
            FROM listino_version WHERE listino_id = $1 ORDER BY effective_from, version
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = listinoId });
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var versionId = reader.GetString(0);
                var file = reader.GetString(3);
                var text = reader.GetString(4);
                if (!parsed.TryGetValue((file, text), out var listino))
                {
                    listino = ListinoLoader.ParseFile(file, text);
                    parsed[(file, text)] = listino;
                }

                var version = listino.Versions.First(v => v.Id == versionId);
                versions.Add(new HeldListinoVersion(version, reader.GetString(1),
                    reader.GetString(2) == "adopted" ? ListinoVersionStatus.Adopted : ListinoVersionStatus.Draft,
                    file, text, reader.GetString(5), Instant.FromDateTimeUtc(reader.GetDateTime(6)))
                {
                    AdoptedByOperator = reader.IsDBNull(7) ? null : reader.GetString(7),
                    AdoptedAt = reader.IsDBNull(8) ? null : Instant.FromDateTimeUtc(reader.GetDateTime(8)),
                });
            }
        }

        return new ListinoBook(listinoId, name, versions.ToImmutable());
    }

    public async Task SaveAsync(ListinoBook book, IReadOnlyCollection<string> versions, string operatorName, Instant at, AuditEntry audit)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await WriteAsync(connection, book, versions, operatorName, at).ConfigureAwait(false);
        await PostgresAuditLog.InsertAsync(connection, audit).ConfigureAwait(false);
        await tx.CommitAsync().ConfigureAwait(false);
    }

    public async Task<ImmutableHashSet<string>> UsedByFinalRunsAsync(string listinoId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT DISTINCT listino_version FROM billing_line WHERE mode = 'final' AND listino_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = listinoId });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var used = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            used.Add(reader.GetString(0));
        }

        return used.ToImmutable();
    }

    private static async Task WriteAsync(NpgsqlConnection connection, ListinoBook book, IReadOnlyCollection<string> versions, string operatorName, Instant at)
    {
        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO listino (id, name, created_by, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = book.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = book.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = operatorName });
            command.Parameters.Add(new NpgsqlParameter { Value = at.ToDateTimeUtc() });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        foreach (var held in book.Versions.Where(v => versions.Contains(v.Id)))
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO listino_version (listino_id, version, effective_from, act, status, source_file, source_text,
                    fingerprint, loaded_by, loaded_at, adopted_by, adopted_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                ON CONFLICT (listino_id, version) DO UPDATE SET effective_from = excluded.effective_from, act = excluded.act,
                    status = excluded.status, source_file = excluded.source_file, source_text = excluded.source_text,
                    fingerprint = excluded.fingerprint, loaded_by = excluded.loaded_by, loaded_at = excluded.loaded_at,
                    adopted_by = excluded.adopted_by, adopted_at = excluded.adopted_at
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = book.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = held.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = held.Version.EffectiveFrom.ToDateOnly() });
            command.Parameters.Add(new NpgsqlParameter { Value = held.Act });
            command.Parameters.Add(new NpgsqlParameter { Value = held.Status == ListinoVersionStatus.Adopted ? "adopted" : "draft" });
            command.Parameters.Add(new NpgsqlParameter { Value = held.SourceFile });
            command.Parameters.Add(new NpgsqlParameter { Value = held.SourceText });
            command.Parameters.Add(new NpgsqlParameter { Value = held.Fingerprint });
            command.Parameters.Add(new NpgsqlParameter { Value = held.LoadedBy });
            command.Parameters.Add(new NpgsqlParameter { Value = held.LoadedAt.ToDateTimeUtc() });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)held.AdoptedByOperator ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)held.AdoptedAt?.ToDateTimeUtc() ?? DBNull.Value });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Seeds an empty listino table with the shipped files, every version adopted with the act its file names. Silos
    /// starting together queue on the table lock; the later ones find it filled and write nothing.
    /// </summary>
    public async Task EnsureSeededAsync()
    {
        if (_seeded)
        {
            return;
        }

        await _seeding.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_seeded)
            {
                return;
            }

            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (var command = new NpgsqlCommand("LOCK TABLE listino IN SHARE ROW EXCLUSIVE MODE", connection))
            {
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await using (var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM listino)", connection))
            {
                if ((bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!)
                {
                    await tx.CommitAsync().ConfigureAwait(false);
                    _seeded = true;
                    return;
                }
            }

            var now = clock.GetCurrentInstant();
            var books = new Dictionary<string, ListinoBook>(StringComparer.Ordinal);
            foreach (var (file, text) in ListinoLoader.ShippedFiles())
            {
                var listino = ListinoLoader.ParseFile(file, text);
                var book = books.GetValueOrDefault(listino.Id) ?? new ListinoBook(listino.Id, listino.Name, []);
                books[listino.Id] = book with
                {
                    Versions = book.Versions.AddRange(listino.Versions.Select(v =>
                        new HeldListinoVersion(v, v.AdoptedBy, ListinoVersionStatus.Adopted, file, text, ShippedLoader, now)
                        {
                            AdoptedByOperator = ShippedLoader,
                            AdoptedAt = now,
                        })),
                };
            }

            foreach (var book in books.Values)
            {
                await WriteAsync(connection, book, [.. book.Versions.Select(v => v.Id)], ShippedLoader, now).ConfigureAwait(false);
            }

            await tx.CommitAsync().ConfigureAwait(false);
            _seeded = true;
        }
        finally
        {
            _seeding.Release();
        }
    }
}
