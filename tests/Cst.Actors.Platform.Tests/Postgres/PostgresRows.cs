using Npgsql;

namespace Cst.Actors.Platform.Tests.Postgres;

/// <summary>
/// Reads the first column of a query's rows as text (a number in invariant form, NULL as empty), for tests that check
/// what was written to a table.
/// </summary>
public static class PostgresRows
{
    public static async Task<IReadOnlyList<string>> ReadAsync(string connectionString, string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? string.Empty : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
