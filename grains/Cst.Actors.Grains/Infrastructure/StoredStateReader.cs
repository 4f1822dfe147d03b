using Cst.Actors.Contracts.Errors;
using Npgsql;
using NpgsqlTypes;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>
/// Reads the stored states of many grains of one type in one query, by the same key columns and serializer as the
/// grain storage (<see cref="IStateRowFormat"/>): what each grain would read on its next activation, without
/// activating it. A billing run reads its enti this way, a chunk at a time, instead of one activation (one storage
/// query, one deserialization on the grain's turn, Orleans' activation work) per ente.
/// </summary>
/// <remarks>
/// A stored row is what the grain has committed: a change returns to its caller only after its state write, so a
/// change made before the read is in it. What an active grain holds beyond its row (steps after a write still to
/// finish: an audit row, a directory entry) is not billing data.
/// </remarks>
public sealed class StoredStateReader(NpgsqlDataSource dataSource, IStateRowFormat format)
{
    /// <summary>
    /// The stored payload of each grain, by position in <paramref name="grainIds"/>; null where none is stored (never
    /// written, or cleared).
    /// </summary>
    public async Task<byte[]?[]> ReadAsync(string stateName, IReadOnlyList<GrainId> grainIds)
    {
        ArgumentNullException.ThrowIfNull(grainIds);
        var payloads = new byte[]?[grainIds.Count];
        if (grainIds.Count == 0)
        {
            return payloads;
        }

        var keys = grainIds.Select(g => format.KeyOf(stateName, g)).ToList();
        await using var command = dataSource.CreateCommand(
            """
            SELECT r.i::integer - 1, s.payload
            FROM unnest($2::integer[], $3::integer[], $4::text[], $5::bigint[], $6::bigint[], $7::text[]) WITH ORDINALITY AS r(h, t, g, n0, n1, x, i)
            JOIN orleans_storage s
              ON s.grain_id_hash = r.h AND s.grain_type_hash = r.t AND s.service_id = $1 AND s.grain_type = r.g
             AND s.grain_id_n0 = r.n0 AND s.grain_id_n1 = r.n1 AND s.grain_id_extension IS NOT DISTINCT FROM r.x
            WHERE s.payload IS NOT NULL
            """);
        StateRow.AddKeyArrays(command, format.ServiceId, keys);
        try
        {
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                payloads[reader.GetInt32(0)] = reader.GetFieldValue<byte[]>(1);
            }
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the stored states of {grainIds.Count} grains of type {stateName}: {e.Message}");
        }

        return payloads;
    }

    /// <summary>A payload read by <see cref="ReadAsync"/>, as the grain reads it.</summary>
    public T Decode<T>(byte[] payload) => format.Read<T>(payload);
}
