using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain.Catalogue;
using NodaTime;
using Npgsql;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

/// <summary>
/// The listini as data the cluster holds (sql/schema/0006, one <see cref="IListinoGrain"/> per listino): versions
/// loaded from YAML at run time, drafts, adoption, immutability once a final run used a version. Each test works on a
/// listino of its own, so the shipped ones that other tests price with never change.
/// </summary>
[Collection(GrainsCollection.Name)]
public sealed class ListinoTests(GrainsCluster cluster)
{
    private IClusterClient Client => cluster.Client;

    private ICatalogueGrain Catalogue => Client.GetGrain<ICatalogueGrain>(ICatalogueGrain.Key);

    /// <summary>
    /// A small listino: the membership quota at <paramref name="perInhabitant"/> for every inhabitant, antivirus per
    /// client a year, and, when asked, the SIT one-off of s.7 or the consultancy of s.20.
    /// </summary>
    private static string Yaml(string listinoId, string version, string effectiveFrom, string perInhabitant, string antivirus,
        bool sit = true, bool consultancy = false) =>
        $$"""
        # a test listino
        listino: {{listinoId}}
        name: Listino di prova
        versions:
          - version: "{{version}}"
            effective_from: {{effectiveFrom}}
            adopted_by: "Delibera di prova"
            month_counting: more-than-half
            membership_quota:
              section: "Convenzione art. 5"
              bands:
                - { from: 1, per_inhabitant: {{perInhabitant}} }
            services:
              - id: s.13
                name: Antivirus
                section: "Disciplinare, s.13"
                variants: [base]
                components:
                  - id: modulo-base
                    name: Modulo base
                    kind: annual
                    price: {{antivirus}}
                    per: unit
                    variants: [base]
        {{(sit ? SitService : "")}}{{(consultancy ? ConsultancyService : "")}}
        """;

    private const string SitService =
        """
              - id: s.7
                name: SIT
                section: "Disciplinare, s.7"
                components:
                  - id: attivazione
                    name: Attivazione
                    kind: one-off
                    price: 200.00

        """;

    private const string ConsultancyService =
        """
              - id: s.20
                name: Consulenza
                section: "Disciplinare, s.20"
                components:
                  - id: progetto
                    name: Progetto
                    kind: one-off
                    price: on-quotation

        """;

    private async Task<string> NewListinoAsync()
    {
        var id = Unique("prova-");
        var loaded = await Catalogue.LoadAsync("prova-2020.yaml", Yaml(id, "2020", "2020-01-01", "0.20", "15.00"), "Delibera n. 1 del 10/12/2019", Operator);
        Assert.Equal(ListinoLoadOutcome.Added, Assert.Single(loaded).Outcome);
        Assert.True(await Client.GetGrain<IListinoGrain>(id).AdoptAsync("2020", Operator));
        return id;
    }

    /// <summary>A Comune of 3,000 inhabitants in 2026 and 2027 (quota 3,000 x the rate per inhabitant), billed on the listino.</summary>
    private async Task<IEnteGrain> NewComuneOnAsync(string listinoId)
    {
        var istat = NewIstatCode();
        var grain = Client.GetGrain<IEnteGrain>(istat);
        await grain.RegisterAsync(Comune(istat, "Comune di Prova " + istat, new LocalDate(2020, 1, 1)) with { ListinoId = listinoId }, Operator);
        await grain.SetPopulationAsync(2026, 3_000, Operator);
        await grain.SetPopulationAsync(2027, 3_000, Operator);
        return grain;
    }

    [Fact]
    public async Task Load_NewVersionFromFileAndAdopt_Prices2027StatementWithItThroughTheCluster()
    {
        var listino = await NewListinoAsync();
        var ente = await NewComuneOnAsync(listino);
        // Version 2020: 3,000 x 0.20 = 600.00.
        Assert.Equal(600m, (await ente.GetStatementAsync(2027)).Total.Euros);

        var loaded = await Catalogue.LoadAsync("prova-2027.yaml", Yaml(listino, "2027", "2027-01-01", "0.25", "18.00"),
            "Decreto del Presidente della Provincia n. 45 del 12/10/2026", Operator);
        Assert.Equal(("2027", ListinoLoadOutcome.Added), (Assert.Single(loaded).Version, loaded[0].Outcome));
        Assert.True(await Client.GetGrain<IListinoGrain>(listino).AdoptAsync("2027", Operator));

        // Version 2027 from 1 January 2027: 3,000 x 0.25 = 750.00; 2026 stays on version 2020.
        var statement = await ente.GetStatementAsync(2027);
        var quota = Assert.Single(statement.Lines);
        Assert.Equal((750m, "2027"), (quota.Amount.Euros, quota.ListinoVersion));
        Assert.Equal(600m, (await ente.GetStatementAsync(2026)).Total.Euros);

        var summary = await Client.GetGrain<IListinoGrain>(listino).GetSummaryAsync();
        var adopted = summary.Versions.Single(v => v.Version == "2027");
        Assert.Equal(("Decreto del Presidente della Provincia n. 45 del 12/10/2026", ListinoVersionStatus.Adopted, Operator, Operator),
            (adopted.Act, adopted.Status, adopted.LoadedBy, adopted.AdoptedBy));
        Assert.Equal("2027", (await Catalogue.GetVersionInForceAsync(listino, new LocalDate(2027, 3, 1))).Id);
        Assert.Contains($"{Operator} listino.adopt", await cluster.AuditAsync($"listino/{listino}"));
    }

    [Fact]
    public async Task Load_Draft_ChangesNoStatement()
    {
        var listino = await NewListinoAsync();
        var ente = await NewComuneOnAsync(listino);

        await Catalogue.LoadAsync("prova-2027.yaml", Yaml(listino, "2027", "2027-01-01", "0.25", "18.00"), "Proposta n. 3", Operator);

        // The draft prices nothing: 2027 is still 3,000 x 0.20 = 600.00 on version 2020.
        var quota = Assert.Single((await ente.GetStatementAsync(2027)).Lines);
        Assert.Equal((600m, "2020"), (quota.Amount.Euros, quota.ListinoVersion));
        Assert.DoesNotContain((await Catalogue.GetListinoAsync(listino)).Versions, v => v.Id == "2027");
        var draft = (await Client.GetGrain<IListinoGrain>(listino).GetSummaryAsync()).Versions.Single(v => v.Version == "2027");
        Assert.Equal((ListinoVersionStatus.Draft, "Proposta n. 3", (string?)null), (draft.Status, draft.Act, draft.AdoptedBy));
    }

    [Fact]
    public async Task Load_SameFileTwice_ChangesNothing()
    {
        var listino = await NewListinoAsync();
        var text = Yaml(listino, "2027", "2027-01-01", "0.25", "18.00");
        await Catalogue.LoadAsync("prova-2027.yaml", text, "Proposta n. 3", Operator);
        var rowBefore = await cluster.ReadAsync(
            "SELECT loaded_at::text || ' ' || fingerprint FROM listino_version WHERE listino_id = $1 AND version = '2027'", listino);
        cluster.Time.Advance(TimeSpan.FromMinutes(5));

        var again = await Catalogue.LoadAsync("prova-2027.yaml", text, "Proposta n. 3", Operator);

        Assert.Equal(ListinoLoadOutcome.Unchanged, Assert.Single(again).Outcome);
        Assert.Equal(rowBefore, await cluster.ReadAsync(
            "SELECT loaded_at::text || ' ' || fingerprint FROM listino_version WHERE listino_id = $1 AND version = '2027'", listino));
        // Two loads recorded (the 2020 file, then the 2027 file once); the repeated load recorded nothing.
        Assert.Equal(2, (await cluster.AuditAsync($"listino/{listino}")).Count(a => a.EndsWith("listino.load", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Diff_TwoVersions_ListsTariffsAddedRemovedAndChangedWithOldAndNewAmounts()
    {
        var listino = await NewListinoAsync();
        await Catalogue.LoadAsync("prova-2027.yaml",
            Yaml(listino, "2027", "2027-01-01", "0.25", "18.00", sit: false, consultancy: true), "Proposta n. 3", Operator);

        var changes = await Client.GetGrain<IListinoGrain>(listino).DiffAsync("2020", "2027");

        Assert.Equal(4, changes.Count);
        var quota = changes.Single(c => c.ServiceId == "quota");
        Assert.Equal((TariffChangeKind.Changed, "1- 0.20/inhabitant", "1- 0.25/inhabitant"), (quota.Kind, quota.Old, quota.New));
        var antivirus = changes.Single(c => c.ServiceId == "s.13");
        Assert.Equal((TariffChangeKind.Changed, "modulo-base", 15.00m, 18.00m),
            (antivirus.Kind, antivirus.ComponentId, antivirus.OldPrice!.Value.Euros, antivirus.NewPrice!.Value.Euros));
        var sit = changes.Single(c => c.ServiceId == "s.7");
        Assert.Equal((TariffChangeKind.Removed, 200m, (decimal?)null), (sit.Kind, sit.OldPrice!.Value.Euros, sit.NewPrice?.Euros));
        var consultancy = changes.Single(c => c.ServiceId == "s.20");
        Assert.Equal((TariffChangeKind.Added, "one-off on quotation"), (consultancy.Kind, consultancy.New));
        Assert.Empty(await Client.GetGrain<IListinoGrain>(listino).DiffAsync("2020", "2020"));
    }

    [Fact]
    public async Task AdoptedVersionUsedByClosedFinalRun_RefusesAnyChange()
    {
        var listino = await NewListinoAsync();
        await RecordClosedFinalRunLineAsync(listino, "2020");

        var changed = Yaml(listino, "2020", "2020-01-01", "0.30", "15.00");
        var refused = await Assert.ThrowsAsync<CstDomainError>(() => Catalogue.LoadAsync("prova-2020.yaml", changed, "Delibera n. 1 del 10/12/2019", Operator));
        Assert.Contains("can never change", refused.Message, StringComparison.Ordinal);
        var sameTariffsOtherAct = Yaml(listino, "2020", "2020-01-01", "0.20", "15.00");
        await Assert.ThrowsAsync<CstDomainError>(() => Catalogue.LoadAsync("prova-2020.yaml", sameTariffsOtherAct, "Delibera n. 2", Operator));

        // Still priced as adopted: the quota at 0.20.
        var version = (await Catalogue.GetListinoAsync(listino)).Versions.Single();
        Assert.Equal(0.20m, version.MembershipQuota!.Bands.Single().PerInhabitant.Euros);

        // The database refuses it too, whoever writes.
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var update = new NpgsqlCommand("UPDATE listino_version SET act = 'x' WHERE listino_id = $1", connection);
        update.Parameters.Add(new NpgsqlParameter { Value = listino });
        var backstop = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());
        Assert.Contains("final billing run", backstop.MessageText, StringComparison.Ordinal);

        // A correction is a new version.
        var correction = await Catalogue.LoadAsync("prova-2020b.yaml", Yaml(listino, "2020-b", "2020-07-01", "0.30", "15.00"), "Delibera n. 2", Operator);
        Assert.Equal(ListinoLoadOutcome.Added, Assert.Single(correction).Outcome);
    }

    [Fact]
    public async Task Load_InvalidFile_IsRefusedNamingFileLineAndField()
    {
        var id = Unique("prova-");
        var broken = Yaml(id, "2020", "2020-01-01", "0.20", "-15.00");

        var error = await Assert.ThrowsAsync<CstDomainError>(() => Catalogue.LoadAsync("prova.yaml", broken, "Delibera n. 1", Operator));

        Assert.StartsWith("prova.yaml, line 22, field 'versions[0].services[0].components[0].price'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(id, await Catalogue.GetListinoIdsAsync());
    }

    [Fact]
    public async Task ShippedListini_SeedTheEmptyDatabase_AsAdoptedVersionsWithTheirActs()
    {
        var padova = await Client.GetGrain<IListinoGrain>(TestEnti.Listino).GetSummaryAsync();

        Assert.Contains(padova.Versions, v => v.Version == "2020-10" && v.Status == ListinoVersionStatus.Adopted
            && v.Act == "Disciplinare tecnico-economico, ottobre 2020" && v.SourceFile == "cst-padova-2020-10.yaml");
        Assert.Contains("cit-brescia", await Catalogue.GetListinoIdsAsync());
    }

    /// <summary>A closed final run of 2001 with one line priced by the version, as the billing writer leaves it.</summary>
    private async Task RecordClosedFinalRunLineAsync(string listinoId, string version)
    {
        var year = 2001;
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO billing_run (year, mode, revision, attempt, status, as_of, started_by, started_at, enti_total)
            VALUES ({year}, 'final', 1, 1, 'completed', DATE '2002-01-10', 'test', now(), 1) ON CONFLICT DO NOTHING;
            INSERT INTO billing_line (year, mode, revision, ente_id, line_no, line_key, service_id, service_name, component_id,
                component_name, period_start, period_end, months, quantity, unit_price, amount, listino_id, listino_version, section)
            VALUES ({year}, 'final', 1, '{listinoId}', 1, 'quota', 'quota', 'Quota', 'quota-associativa', 'Quota',
                DATE '2001-01-01', DATE '2002-01-01', 12, 1, 600, 600, '{listinoId}', '{version}', 'Convenzione art. 5');
            UPDATE billing_run SET status = 'closed', closed_by = 'test', closed_at = now() WHERE year = {year} AND mode = 'final' AND revision = 1;
            """, connection);
        await command.ExecuteNonQueryAsync();
    }
}
