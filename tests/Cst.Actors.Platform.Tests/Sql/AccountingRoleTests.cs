using Cst.Actors.Platform.Tests.Postgres;
using Npgsql;

namespace Cst.Actors.Platform.Tests.Sql;

/// <summary>The migrations' accounting role reads the billing views, notices and audit, and nothing else.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AccountingRoleTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Accounting_ReadsBillingNoticesAndAudit_ButNotGrainState_AndWritesNothing()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "SET ROLE accounting");

        foreach (var readable in new[] { "billing_total", "billing_total_by_service", "billing_line", "notice", "audit", "listino_version" })
        {
            await ExecuteAsync(connection, $"SELECT count(*) FROM {readable}");
        }

        foreach (var refused in new[]
                 {
                     "SELECT count(*) FROM orleans_storage",
                     "SELECT count(*) FROM orleans_membership",
                     "INSERT INTO audit (operator, object, action) VALUES ('x', 'y', 'z')",
                     "DELETE FROM notice",
                 })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, refused));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
