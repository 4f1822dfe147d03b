using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Platform.Tests.Cluster;
using Cst.Actors.Platform.Tests.Postgres;
using NodaTime;
using Npgsql;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

/// <summary>
/// A database error raised on one silo, inside Orleans' grain storage, reaches a grain on another silo and then the
/// client as the project's <see cref="CstInfrastructureError"/> with the database's message, not as a
/// CodecNotFoundException for Npgsql's PostgresException.
/// </summary>
public sealed class CrossSiloErrorTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task DirectoryWriteFails_OnAnotherSilo_TheEnteAndTheClientGetAReadableInfrastructureError()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var builder = CstTestCluster.Create(connectionString, silos: 2, clusterId: "cst-cross-silo-errors");
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var client = cluster.Client;
        var management = client.GetGrain<IManagementGrain>(0);

        // An ente whose activation is on the other silo than the directory's, so the directory's answer crosses silos.
        var directory = client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key);
        await directory.ListAsync();
        var directorySilo = await management.GetActivationAddress(directory);
        string? ente = null;
        for (var attempt = 0; attempt < 40 && ente is null; attempt++)
        {
            var candidate = await NewComuneAsync(client, new LocalDate(2021, 1, 1));
            if (await management.GetActivationAddress(client.GetGrain<IEnteGrain>(candidate)) != directorySilo)
            {
                ente = candidate;
            }
        }

        Assert.True(ente is not null, $"no ente was placed on the silo other than the directory's ({directorySilo}) in 40 registrations");
        var registration = (await client.GetGrain<IEnteGrain>(ente).GetAsync()).Registration;

        await ExecuteAsync(connectionString,
            """
            CREATE FUNCTION cst_test_injected_failure() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                RAISE EXCEPTION 'injected failure on %', TG_TABLE_NAME;
            END
            $fn$;
            CREATE TRIGGER fail_directory BEFORE INSERT OR UPDATE ON orleans_storage FOR EACH ROW
                WHEN (NEW.grain_id_extension = 'all' AND NEW.grain_type LIKE '%directory%')
                EXECUTE FUNCTION cst_test_injected_failure();
            """);

        var error = await Assert.ThrowsAsync<CstInfrastructureError>(
            () => client.GetGrain<IEnteGrain>(ente).EditAsync(registration with { Name = registration.Name + " (rinominato)" }, Operator));
        Assert.Contains("injected failure on orleans_storage", error.Message, StringComparison.Ordinal);

        // Once the database is right again, the same edit completes, directory included.
        await ExecuteAsync(connectionString, "DROP TRIGGER fail_directory ON orleans_storage");
        await client.GetGrain<IEnteGrain>(ente).EditAsync(registration with { Name = registration.Name + " (rinominato)" }, Operator);
        Assert.Contains(await directory.ListAsync(), e => e.EnteId == ente && e.Name.EndsWith("(rinominato)", StringComparison.Ordinal));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
