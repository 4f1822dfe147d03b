using System.Collections.Immutable;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Contracts.ReferenceData;
using Cst.Actors.Domain.Enti;
using NodaTime;

namespace Cst.Actors.Bench;

/// <summary>
/// The benchmark's dataset: an import document for a set of Italian municipalities from the ISTAT list embedded in
/// the contracts (<see cref="IstatComuni"/>, ISTAT, CC BY 3.0 IT; names, codes and 2011 census population), with a
/// seeded, reproducible mix of billable objects that grows with population.
/// <para>
/// Objects per ente: <c>K * population^0.25</c> (at least 3), with K chosen so that the 7,904 comuni hold about
/// 500,000 objects (about 63 per ente): a comune of 1,000 inhabitants gets about 35, Padova about 130, Roma about
/// 250. Half are PEC mailboxes, a quarter firma devices, a quarter hosted services.
/// </para>
/// <para>
/// The mix is restricted to charge kinds the raw-SQL baseline expresses exactly: annual pro-rata by months (more-than-
/// half rule) per unit and per started block with quantity <b>increases</b> only, annual full-year (s.5), from the
/// second year (s.8, per started 100 GB), one-offs at activation, firma renewals, consumption (s.2 SMS, s.14, s.15),
/// the membership quota (adhesion years pro-rated); disdette (end at 1 January after receipt) and cessations. Left
/// out: tier (variant) changes, quantity decreases, first-year prices (s.16), custom-domain packs, withdrawals,
/// free allowances, on-quotation prices. Every date is between 2020-10-01 and 2025-12-31; the year billed is 2025.
/// </para>
/// Each comune draws from its own <see cref="Random"/> seeded by the seed and its ISTAT code, so a comune's objects
/// are the same whether the whole country or a sample is generated.
/// </summary>
public static class NationalDataset
{
    public const int DefaultSeed = 20251231;

    public const int BilledYear = 2025;

    public const int NationalTarget = 500_000;

    private static readonly LocalDate First = new(2020, 10, 1);

    private static readonly LocalDate Last = new(BilledYear, 12, 31);

    /// <summary>The comuni of a scale: "padova" (province PD), "national" (all), or a number: an even sample of that many.</summary>
    public static IReadOnlyList<IstatComune> Comuni(string scale)
    {
        var all = IstatComuni.LoadAll().OrderBy(c => c.IstatCode, StringComparer.Ordinal).ToList();
        if (scale == "padova")
        {
            return all.Where(c => c.ProvinceAbbreviation == "PD").ToList();
        }

        if (scale == "national")
        {
            return all;
        }

        var n = int.Parse(scale, System.Globalization.CultureInfo.InvariantCulture);
        if (n <= 0 || n >= all.Count)
        {
            return all;
        }

        // Every k-th comune in ISTAT order: an even spread over regions and sizes.
        return Enumerable.Range(0, n).Select(i => all[(int)((long)i * all.Count / n)]).ToList();
    }

    /// <summary>K of <c>K * population^0.25</c>, fixed by the whole country so that a sample keeps the national mix.</summary>
    public static double Factor { get; } = NationalTarget / IstatComuni.LoadAll().Sum(c => Math.Pow(Math.Max(1, c.Population2011), 0.25));

    public static ImportDocument Build(IReadOnlyList<IstatComune> comuni, int seed = DefaultSeed) =>
        new() { Enti = [.. comuni.Select(c => new Generator(c, seed).Ente())] };

    public static int ObjectCount(ImportDocument document) =>
        document.Enti.Sum(e => e.Mailboxes.Count + e.Devices.Count + e.Services.Count);

    private sealed class Generator(IstatComune comune, int seed)
    {
        private readonly Random _random = new(unchecked((seed * 1_000_003) + int.Parse(comune.IstatCode, System.Globalization.CultureInfo.InvariantCulture)));
        private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
        private LocalDate _adhered;

        private int Population => Math.Max(1, comune.Population2011);

        public ImportEnte Ente()
        {
            var roll = _random.NextDouble();
            _adhered = roll < 0.80 ? Between(First, new LocalDate(2020, 12, 31))
                : roll < 0.94 ? Between(new LocalDate(2021, 1, 1), new LocalDate(2024, 12, 31))
                : Between(new LocalDate(2025, 1, 1), new LocalDate(2025, 9, 30));
            var objects = Math.Max(3, (int)Math.Round(Factor * Math.Pow(Population, 0.25)));
            var mailboxes = Math.Max(1, (int)Math.Round(objects * 0.5));
            var devices = Math.Max(1, (int)Math.Round(objects * 0.25));
            var services = Math.Max(1, objects - mailboxes - devices);
            return new ImportEnte
            {
                Name = "Comune di " + comune.Name,
                Kind = EnteKind.Comune,
                IstatCode = comune.IstatCode,
                AdheredOn = _adhered,
                Listino = ImportValidator.DefaultListino,
                ReferentePec = $"protocollo@pec.c{comune.IstatCode}.example",
                Population = [.. Enumerable.Range(_adhered.Year, BilledYear - _adhered.Year + 1)
                    .Select(y => new ImportPopulation { Year = y, Inhabitants = comune.Population2011 })],
                Mailboxes = [.. Enumerable.Range(1, mailboxes).Select(Mailbox)],
                Devices = [.. Enumerable.Range(1, devices).Select(Device)],
                Services = [.. Enumerable.Range(1, services).Select(_ => Service())],
            };
        }

        private LocalDate Activation() => Between(_adhered, Last);

        private ImportMailbox Mailbox(int i)
        {
            var activated = Activation();
            var roll = _random.NextDouble();
            var box = new ImportMailbox
            {
                Address = $"casella{i:000}@pec.c{comune.IstatCode}.example",
                Tier = roll < 0.6 ? "standard" : roll < 0.85 ? "silver" : "gold",
                RequestedOn = LocalDate.Max(_adhered, activated.PlusDays(-_random.Next(0, 6))),
                ActivatedOn = activated,
            };
            var latest = activated;
            if (activated < Last.PlusDays(-2) && _random.NextDouble() < 0.15)
            {
                var on = Between(activated.PlusDays(1), Last.PlusDays(-1));
                latest = LocalDate.Max(latest, on);
                box = box with { ExtraSpaceGb = [new ImportQuantity { EffectiveOn = on, Quantity = _random.Next(1, 11) }] };
            }

            if (activated < Last.PlusDays(-2) && _random.NextDouble() < 0.10)
            {
                var on = Between(activated.PlusDays(1), Last.PlusDays(-1));
                latest = LocalDate.Max(latest, on);
                box = box with { ConservazioneGb = [new ImportQuantity { EffectiveOn = on, Quantity = _random.Next(1, 4) }] };
            }

            if (latest < Last && _random.NextDouble() < 0.05)
            {
                var received = Between(latest.PlusDays(1), Last);
                box = box with { Disdetta = new ImportDisdetta { ReceivedOn = received, Evidence = $"prot. {_random.Next(1000, 30000)}/{received.Year}" } };
            }

            return box;
        }

        private ImportDevice Device(int i)
        {
            var kind = _random.NextDouble() < 0.75 ? FirmaDeviceKind.BusinessKey : FirmaDeviceKind.FirmaRemota;
            var issued = Between(_adhered, Last.PlusDays(-10));
            var renewals = new List<LocalDate>();
            var validFrom = issued;
            while (_random.NextDouble() < 0.8)
            {
                var renewal = validFrom.PlusYears(3).PlusDays(-_random.Next(3, 46));
                if (renewal > Last || renewal <= validFrom)
                {
                    break;
                }

                renewals.Add(renewal);
                validFrom = renewal;
            }

            return new ImportDevice
            {
                Serial = $"{(kind == FirmaDeviceKind.FirmaRemota ? "FR" : "BK")}-{comune.IstatCode}-{i:000}",
                Kind = kind,
                Holder = $"Titolare {i}",
                IssuedOn = issued,
                RenewedOn = [.. renewals],
            };
        }

        private ImportService Service()
        {
            var roll = _random.NextDouble();
            return roll switch
            {
                < 0.30 => Antivirus(),
                < 0.45 => Simple("s.5", "pacchetto", 1),
                < 0.60 => Intranet(),
                < 0.70 => GlobalService(),
                < 0.80 => Simple("s.8", null, 50 + _random.Next(0, 401)),
                < 0.92 => Conservazione(),
                _ => SystemAdministrator(),
            };
        }

        private string Label(string service)
        {
            var n = _labels.GetValueOrDefault(service) + 1;
            _labels[service] = n;
            return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        private ImportService Simple(string service, string? variant, decimal quantity)
        {
            var s = new ImportService { Service = service, Label = Label(service), Variant = variant, ActivatedOn = Activation(), Quantity = quantity };
            return Ending(s, s.ActivatedOn!.Value);
        }

        /// <summary>s.13: per unit, annual pro-rata; 30% with one or two increases.</summary>
        private ImportService Antivirus()
        {
            var on = Activation();
            var clients = 3 + _random.Next(0, 20 + Math.Min(200, Population / 2000));
            var s = new ImportService
            {
                Service = "s.13",
                Label = Label("s.13"),
                Variant = _random.NextDouble() < 0.7 ? "base" : "avanzato",
                ActivatedOn = on,
                Quantity = clients,
            };
            return Increases(s, on, clients);
        }

        /// <summary>s.12 portale: per GB annual pro-rata and a one-off start-up; 20% with increases.</summary>
        private ImportService Conservazione()
        {
            var on = Activation();
            var gb = _random.Next(1, 21);
            var s = new ImportService { Service = "s.12", Label = Label("s.12"), Variant = "portale", ActivatedOn = on, Quantity = gb };
            return Increases(s, on, gb, 0.2);
        }

        private ImportService Increases(ImportService s, LocalDate on, decimal quantity, double share = 0.3)
        {
            var latest = on;
            if (_random.NextDouble() < share)
            {
                var changes = ImmutableList.CreateBuilder<ImportQuantity>();
                var count = _random.Next(1, 3);
                for (var c = 0; c < count && latest < Last.PlusDays(-2); c++)
                {
                    latest = Between(latest.PlusDays(1), Last.PlusDays(-1));
                    quantity += _random.Next(1, 11);
                    changes.Add(new ImportQuantity { EffectiveOn = latest, Quantity = quantity });
                }

                s = s with { QuantityChanges = changes.ToImmutable() };
            }

            return Ending(s, latest);
        }

        /// <summary>5% a disdetta, 4% a cessation, after every other fact of the service.</summary>
        private ImportService Ending(ImportService s, LocalDate latest)
        {
            if (latest >= Last)
            {
                return s;
            }

            var roll = _random.NextDouble();
            if (roll < 0.05)
            {
                var received = Between(latest.PlusDays(1), Last);
                return s with { Disdetta = new ImportDisdetta { ReceivedOn = received, Evidence = $"PEC del {received:yyyy-MM-dd}" } };
            }

            return roll < 0.09 ? s with { CeasedOn = Between(latest.PlusDays(1), Last) } : s;
        }

        /// <summary>s.2 intranet: SMS consumption at the end of each quarter.</summary>
        private ImportService Intranet()
        {
            var on = Activation();
            var label = Label("s.2");
            var records = ImmutableList.CreateBuilder<ImportConsumption>();
            var quarterEnd = new LocalDate(on.Year, ((on.Month - 1) / 3 * 3) + 3, 1).PlusMonths(1).PlusDays(-1);
            while (quarterEnd <= Last)
            {
                records.Add(new ImportConsumption
                {
                    Id = $"SMS-{comune.IstatCode}-{label}-{quarterEnd.Year}-Q{((quarterEnd.Month - 1) / 3) + 1}",
                    RecordedOn = quarterEnd,
                    Quantity = _random.Next(40, 40 + Math.Min(5000, Population / 20)),
                    Component = "sms",
                });
                quarterEnd = quarterEnd.PlusDays(1).PlusMonths(3).PlusDays(-1);
            }

            return new ImportService { Service = "s.2", Label = label, Variant = "intranet", ActivatedOn = on, Quantity = 1, Consumption = records.ToImmutable() };
        }

        /// <summary>s.15: days of Global Service, base or advanced.</summary>
        private ImportService GlobalService()
        {
            var on = Activation();
            var label = Label("s.15");
            var days = ImmutableList.CreateBuilder<ImportConsumption>();
            var n = _random.Next(1, 5);
            for (var i = 1; i <= n; i++)
            {
                days.Add(new ImportConsumption
                {
                    Id = $"GS-{comune.IstatCode}-{label}-{i}",
                    RecordedOn = Between(on, Last),
                    Quantity = _random.Next(1, 4),
                    Component = _random.NextDouble() < 0.7 ? "giornata-base" : "giornata-avanzato",
                });
            }

            return new ImportService { Service = "s.15", Label = label, ActivatedOn = on, Quantity = 1, Consumption = days.ToImmutable() };
        }

        /// <summary>s.14: a flat annual fee pro-rated, and extra days as consumption.</summary>
        private ImportService SystemAdministrator()
        {
            var on = Activation();
            var label = Label("s.14");
            var s = new ImportService
            {
                Service = "s.14",
                Label = label,
                ActivatedOn = on,
                Quantity = 1,
                Consumption = _random.NextDouble() < 0.5
                    ? [new ImportConsumption { Id = $"ADS-{comune.IstatCode}-{label}", RecordedOn = Between(on, Last), Quantity = _random.Next(1, 3), Component = "giornata-aggiuntiva" }]
                    : [],
            };
            var latest = s.Consumption.Count > 0 ? s.Consumption[0].RecordedOn!.Value : on;
            return Ending(s, latest);
        }

        private LocalDate Between(LocalDate from, LocalDate to) =>
            to <= from ? from : from.PlusDays(_random.Next(0, Period.DaysBetween(from, to) + 1));
    }
}
