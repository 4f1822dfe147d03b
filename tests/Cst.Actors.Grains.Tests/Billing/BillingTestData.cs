using System.Diagnostics;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain.Billing;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>The billing tests run one after another (each class on its own cluster and database).</summary>
[CollectionDefinition(Name)]
public sealed class BillingCollection
{
    public const string Name = "billing";
}

/// <summary>
/// The hand-worked enti of the domain's billing scenario, registered through the grains (listino cst-padova 2020-10),
/// year 2025:
/// <code>
/// Alfa  3,000 inhabitants: quota 3,000 x 0.20 = 600.00; antivirus base 12 clients since 2024: 12 x 15.00 = 180.00;
///       PEC standard from 1 Aug 2025: 7.50 x 5 / 12 = 3.125 -> 3.13                                 total   783.13
/// Beta  7,000 inhabitants: quota 5,000 x 0.20 + 2,000 x 0.10 = 1,200.00; SIT activation 10 Mar 2025 200.00;
///       provider package from 20 Sep 2025, full year 100.00                                         total 1,500.00
/// Gamma 12,000 inhabitants, adhered 1 Jul 2025, pays through Beta: quota 1,500.00 x 6 / 12 = 750.00;
///       PEC gold from 1 Jul 2025: 22.00 x 6 / 12 = 11.00                                            total   761.00
/// grand total 3,044.13, 3 enti, 8 lines; Beta pays 1,500.00 + 761.00 = 2,261.00
/// </code>
/// </summary>
internal sealed record HandWorkedEnti(string Alfa, string Beta, string Gamma)
{
    public static async Task<HandWorkedEnti> CreateAsync(IClusterClient client)
    {
        var alfa = await ComuneAsync(client, "Comune di Alfa", new LocalDate(2000, 1, 1), (2025, 3000));
        await ServiceAsync(client, alfa, "s.13", "base", new LocalDate(2024, 1, 1), 12m);
        await MailboxAsync(client, alfa, "standard", new LocalDate(2025, 8, 1));

        var beta = await ComuneAsync(client, "Comune di Beta", new LocalDate(2000, 1, 1), (2025, 7000));
        await ServiceAsync(client, beta, "s.7", null, new LocalDate(2025, 3, 10), 1m);
        await ServiceAsync(client, beta, "s.5", "pacchetto", new LocalDate(2025, 9, 20), 1m);

        var gamma = await ComuneAsync(client, "Comune di Gamma", new LocalDate(2025, 7, 1), (2025, 12000));
        await MailboxAsync(client, gamma, "gold", new LocalDate(2025, 7, 1));
        await client.GetGrain<IEnteGrain>(gamma).SetPayerAsync(beta, 2025, Operator);
        return new HandWorkedEnti(alfa, beta, gamma);
    }

    public static async Task<string> ComuneAsync(IClusterClient client, string name, LocalDate adheredOn, params (int Year, int Inhabitants)[] population)
    {
        var ente = await NewComuneAsync(client, adheredOn, name);
        foreach (var (year, inhabitants) in population)
        {
            await client.GetGrain<IEnteGrain>(ente).SetPopulationAsync(year, inhabitants, Operator);
        }

        return ente;
    }

    public static async Task<string> ServiceAsync(IClusterClient client, string ente, string serviceId, string? variant, LocalDate on, decimal quantity)
    {
        var key = HostedServiceKey.For(ente, serviceId, "1");
        await client.GetGrain<IHostedServiceGrain>(key).ActivateAsync(new HostedServiceActivation(variant, on, quantity, null), Operator);
        return key;
    }

    public static async Task<string> MailboxAsync(IClusterClient client, string ente, string tier, LocalDate on)
    {
        var address = NewMailboxAddress();
        await client.GetGrain<IPecMailboxGrain>(address).RequestAsync(new PecMailboxRequest(ente, tier, on), Operator);
        await client.GetGrain<IPecMailboxGrain>(address).ActivateAsync(on, Operator);
        return address;
    }
}

internal static class BillingRuns
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Starts the run and waits (bounded) until it has completed.</summary>
    public static async Task<BillingRunView> RunAsync(IClusterClient client, int year, BillingRunMode mode, bool recompute = false)
    {
        var grain = client.GetGrain<IBillingRunGrain>(BillingRunKey.For(year, mode));
        var view = await grain.StartAsync(Operator, recompute);
        var elapsed = Stopwatch.StartNew();
        while (view.Status == BillingRunStatus.Running)
        {
            if (elapsed.Elapsed > Bound)
            {
                Assert.Fail($"expected billing run {year} {mode} to complete within {Bound.TotalSeconds} s; {view.EntiDone} of {view.EntiTotal} enti done");
            }

            await Task.Delay(50);
            view = await grain.GetProgressAsync();
        }

        return view;
    }

    /// <summary>Every statement of a completed revision.</summary>
    public static async Task<List<BilledStatement>> StatementsAsync(IBillingRunGrain grain, int? revision = null)
    {
        var all = new List<BilledStatement>();
        for (var skip = 0; ; skip += 100)
        {
            var page = await grain.GetStatementsAsync(revision, skip, 100);
            all.AddRange(page);
            if (page.Count < 100)
            {
                return all;
            }
        }
    }
}
