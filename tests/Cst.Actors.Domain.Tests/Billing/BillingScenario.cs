using System.Collections.Immutable;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Pricing;
using static Cst.Actors.Domain.Tests.Pricing.PricingTestData;

namespace Cst.Actors.Domain.Tests.Billing;

/// <summary>
/// A small multi-ente year, worked by hand from the seed tariffs (Disciplinare, listino cst-padova 2020-10), year 2025:
/// <code>
/// Comune di Alfa (A, 3,000 inhabitants, pays itself)
///   quota          3,000 x 0.20                                   =   600.00
///   s.13 antivirus base, 12 clients since 2024: 12 x 15.00         =   180.00
///   s.11 PEC standard from 1 Aug 2025: 7.50 x 5 / 12 = 3.125       =     3.13
///                                                            total     783.13
/// Comune di Beta (B, 7,000 inhabitants, pays itself, capofila of Gamma)
///   quota          5,000 x 0.20 + 2,000 x 0.10 = 1,000 + 200       = 1,200.00
///   s.7 SIT activation 10 Mar 2025, one-off                       =   200.00
///   s.5 provider package from 20 Sep 2025, full year              =   100.00
///                                                            total   1,500.00
/// Comune di Gamma (C, 12,000 inhabitants, adhered 1 Jul 2025, pays through Beta)
///   quota          flat 1,500.00 x 6 / 12 (Jul-Dec)               =   750.00
///   s.11 PEC gold from 1 Jul 2025: 22.00 x 6 / 12                 =    11.00
///                                                            total     761.00
/// grand total 783.13 + 1,500.00 + 761.00 = 3,044.13; 3 enti, 8 lines
/// by service: quota 600 + 1,200 + 750 = 2,550.00; s.5 100.00; s.7 200.00; s.11 3.13 + 11.00 = 14.13; s.13 180.00
/// payers: Beta 1,500.00 + 761.00 = 2,261.00; Alfa 783.13
/// </code>
/// </summary>
internal static class BillingScenario
{
    public const int Year = 2025;

    public static EnteHistory Alfa => new("000001", "cst-padova", D(2000, 1, 1))
    {
        Population = [new PopulationCount(2024, 2950), new PopulationCount(2025, 3000)],
        Subscriptions =
        [
            new Subscription("av-alfa", "s.13", D(2024, 1, 1)) { Variant = "base", Quantity = 12m },
            new Subscription("pec-alfa", "s.11", D(2025, 8, 1)) { Variant = "pec-standard" },
        ],
    };

    public static EnteHistory Beta => new("000002", "cst-padova", D(2000, 1, 1))
    {
        Population = [new PopulationCount(2025, 7000)],
        Subscriptions =
        [
            new Subscription("sit-beta", "s.7", D(2025, 3, 10)),
            new Subscription("prov-beta", "s.5", D(2025, 9, 20)) { Variant = "pacchetto" },
        ],
    };

    public static EnteHistory Gamma => new("000003", "cst-padova", D(2025, 7, 1))
    {
        Population = [new PopulationCount(2025, 12000)],
        Subscriptions = [new Subscription("pec-gamma", "s.11", D(2025, 7, 1)) { Variant = "pec-gold" }],
    };

    public static BilledStatement Billed(EnteHistory history, string name, string payerId, string payerName, int revision = 1) =>
        new(Year, BillingRunMode.Final, revision, history.EnteId, name, payerId, payerName,
            LineKeys.Assign(StatementCalculator.Compute(Padova, history, Year)));

    public static ImmutableList<BilledStatement> Statements() =>
    [
        Billed(Alfa, "Comune di Alfa", "000001", "Comune di Alfa"),
        Billed(Beta, "Comune di Beta", "000002", "Comune di Beta"),
        Billed(Gamma, "Comune di Gamma", "000002", "Comune di Beta"),
    ];
}
