using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.ReferenceData;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Enti;
using NodaTime;

namespace Cst.Actors.Contracts.Import;

/// <summary>
/// The demo data: an import document for the 102 municipalities of the Province of Padova (names, ISTAT codes and
/// 2011 census populations from the embedded ISTAT list, CC BY 3.0 IT, attribution ISTAT) with a plausible mix of
/// mailboxes, devices and services, so that a newcomer sees a living system. Deterministic: the same seed and the same
/// <c>today</c> give the same document. Every date is on or before <c>today</c> (the history of a running CST), and
/// none before 1 October 2020, when the shipped listino's Disciplinare came into force.
/// <para>
/// What it holds: adhesion dates (most when the Disciplinare started, the rest later), the population of each year
/// from the adhesion (the 2011 census figure); PEC mailboxes with mixed tiers, a few upgraded, some with extra space
/// or conservazione, a custom-domain pack for the three largest comuni, a few disdette; BusinessKey and firma remota
/// devices issued over the years, renewed before expiry or left to expire, some expiring within the next 90 days, one
/// lost and revoked; the s.5 provider package, s.13 antivirus with client counts, s.2 Intranet with SMS consumption,
/// s.14 system administrator and s.15 Global Service days for larger comuni, s.16 DPM, on-quotation s.10 hosting with
/// an agreed price for Padova; two associated managements whose capofila pays for its neighbours.
/// </para>
/// <para>
/// Back-dated history and notices (NoticePolicy): an imported object starts tracking its deadlines on the day of the
/// import, so past deadlines give no notice; only an expiry in the last 30 days does. A device is therefore renewed
/// here only when the expiry it renews fell more than 31 days before <c>today</c>: otherwise its issue would notice an
/// expiry that its renewal then cancels.
/// </para>
/// </summary>
public static class DemoData
{
    /// <summary>The seed of the shipped demo.</summary>
    public const int DefaultSeed = 20201001;

    /// <summary>The province of the demo enti.</summary>
    public const string Province = "PD";

    /// <summary>The first day the shipped listino (Disciplinare of October 2020) is in force.</summary>
    public static LocalDate ListinoStart { get; } = new(2020, 10, 1);

    private static readonly string[] Offices = ["ragioneria", "anagrafe", "ufficiotecnico", "poliziamunicipale", "servizisociali", "tributi"];

    private static readonly string[] Holders = ["Sindaco", "Segretario comunale", "Responsabile servizi finanziari", "Responsabile ufficio tecnico"];

    private static readonly (string Capofila, string[] Members)[] Associations =
    [
        ("Piove di Sacco", ["Arzergrande", "Brugine"]),
        ("Este", ["Baone", "Cinto Euganeo", "Vighizzolo d'Este"]),
    ];

    /// <summary>The demo document as of <paramref name="today"/>.</summary>
    public static ImportDocument Build(LocalDate today, int seed = DefaultSeed)
    {
        if (today < ListinoStart.PlusYears(1))
        {
            throw new ArgumentOutOfRangeException(nameof(today), today, "The demo history needs today to be at least a year after 2020-10-01.");
        }

        var comuni = IstatComuni.OfProvince(Province).OrderBy(c => c.IstatCode, StringComparer.Ordinal).ToList();
        var byName = comuni.ToDictionary(c => c.Name, c => c.IstatCode, StringComparer.Ordinal);
        var capofila = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (lead, members) in Associations)
        {
            foreach (var member in members)
            {
                if (byName.TryGetValue(lead, out var l) && byName.TryGetValue(member, out var m))
                {
                    capofila[m] = l;
                }
            }
        }

        var largest = comuni.OrderByDescending(c => c.Population2011).Take(3).Select(c => c.IstatCode).ToHashSet(StringComparer.Ordinal);
        var random = new Random(seed);
        var enti = ImmutableList.CreateBuilder<ImportEnte>();
        var revoked = 0;
        foreach (var comune in comuni)
        {
            var g = new Generator(random, today, comune);
            enti.Add(g.Ente(capofila.GetValueOrDefault(comune.IstatCode), largest.Contains(comune.IstatCode), ref revoked));
        }

        return new ImportDocument { Enti = enti.ToImmutable() };
    }

    /// <summary>"Sant'Angelo di Piove di Sacco" → "santangelodipiovedisacco": letters and digits of the name, unaccented.</summary>
    public static string Slug(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                text.Append(char.ToLowerInvariant(c));
            }
        }

        return text.ToString();
    }

    private sealed class Generator(Random random, LocalDate today, IstatComune comune)
    {
        private readonly string _slug = Slug(comune.Name);

        private int Population => comune.Population2011;

        public ImportEnte Ente(string? capofila, bool large, ref int revoked)
        {
            var adhered = random.NextDouble() < 0.75
                ? ListinoStart.PlusDays(random.Next(0, 92))
                : Between(new LocalDate(2021, 1, 1), today.PlusDays(-200));
            var start = adhered;
            var population = Enumerable.Range(adhered.Year, today.Year - adhered.Year + 1)
                .Select(y => new ImportPopulation { Year = y, Inhabitants = Population })
                .ToImmutableList();
            return new ImportEnte
            {
                Name = "Comune di " + comune.Name,
                Kind = EnteKind.Comune,
                IstatCode = comune.IstatCode,
                AdheredOn = adhered,
                Listino = ImportValidator.DefaultListino,
                ReferentePec = $"protocollo@pec.comune.{_slug}.example",
                ReferenteEmail = $"ced@comune.{_slug}.example",
                ReferenteName = "Ufficio CED",
                Population = population,
                Capofila = capofila,
                Mailboxes = Mailboxes(start, large),
                Devices = Devices(start, ref revoked),
                Services = Services(start),
            };
        }

        private ImmutableList<ImportMailbox> Mailboxes(LocalDate start, bool large)
        {
            var result = ImmutableList.CreateBuilder<ImportMailbox>();
            var mainTier = Population > 15_000 ? "gold" : Population > 5_000 ? "silver" : "standard";
            var requested = start.PlusDays(random.Next(0, 20));
            var main = new ImportMailbox
            {
                Address = $"protocollo@pec.comune.{_slug}.example",
                Tier = mainTier,
                RequestedOn = requested,
                ActivatedOn = requested.PlusDays(random.Next(1, 10)),
            };
            if (random.NextDouble() < 0.3)
            {
                main = main with { ConservazioneGb = [new ImportQuantity { EffectiveOn = Between(main.ActivatedOn!.Value.PlusDays(30), today), Quantity = random.Next(1, 3) }] };
            }

            result.Add(main);
            var offices = Math.Min(Offices.Length, (Population / 5_000) + random.Next(0, 2));
            for (var i = 0; i < offices; i++)
            {
                var on = Between(start, today.PlusDays(-30));
                var box = new ImportMailbox
                {
                    Address = $"{Offices[i]}@pec.comune.{_slug}.example",
                    Tier = random.NextDouble() < 0.7 ? "standard" : "silver",
                    RequestedOn = on,
                    ActivatedOn = on.PlusDays(random.Next(0, 7)),
                };
                var activated = box.ActivatedOn!.Value;
                var roll = random.NextDouble();
                if (roll < 0.15 && box.Tier == "standard" && activated < today.PlusDays(-60))
                {
                    box = box with { TierChanges = [new ImportTierChange { EffectiveOn = Between(activated.PlusDays(30), today), Tier = "silver" }] };
                }
                else if (roll < 0.35 && activated < today.PlusDays(-60))
                {
                    box = box with { ExtraSpaceGb = [new ImportQuantity { EffectiveOn = Between(activated.PlusDays(30), today), Quantity = 5 * random.Next(1, 3) }] };
                }
                else if (roll > 0.92)
                {
                    var received = Between(activated.PlusDays(10), today);
                    box = box with { Disdetta = new ImportDisdetta { ReceivedOn = received, Evidence = $"prot. {random.Next(1000, 30000)}/{received.Year}" } };
                }

                result.Add(box);
            }

            if (large)
            {
                var pack = $"pec.{_slug}.example";
                var count = Population > 100_000 ? 12 : 6;
                var on = Between(start, today.PlusDays(-60));
                for (var i = 1; i <= count; i++)
                {
                    result.Add(new ImportMailbox
                    {
                        Address = $"ufficio{i:00}@{pack}",
                        Tier = "standard",
                        RequestedOn = on,
                        ActivatedOn = on.PlusDays(i <= count / 2 ? 3 : random.Next(30, 200)) is var a && a <= today ? a : today,
                        CustomDomainPack = pack,
                    });
                }
            }

            return result.ToImmutable();
        }

        private ImmutableList<ImportDevice> Devices(LocalDate start, ref int revoked)
        {
            var result = ImmutableList.CreateBuilder<ImportDevice>();
            var count = Math.Min(Holders.Length, 1 + (Population / 6_000) + random.Next(0, 2));
            for (var i = 0; i < count; i++)
            {
                var kind = random.NextDouble() < 0.25 ? FirmaDeviceKind.FirmaRemota : FirmaDeviceKind.BusinessKey;
                var serial = $"{(kind == FirmaDeviceKind.FirmaRemota ? "FR" : "BK")}-{comune.IstatCode}-{i + 1}";
                var renewals = new List<LocalDate>();
                LocalDate issued;
                if (random.NextDouble() < 0.18)
                {
                    // Expiring within the next 90 days: the certificates now valid started about three years ago.
                    var anchor = today.PlusYears(-3).PlusDays(random.Next(5, 86));
                    if (anchor >= start)
                    {
                        issued = anchor;
                    }
                    else
                    {
                        issued = anchor.PlusYears(-3).PlusDays(random.Next(5, 60));
                        if (issued < start)
                        {
                            issued = anchor < start ? start : anchor;
                        }
                        else
                        {
                            renewals.Add(anchor);
                        }
                    }
                }
                else
                {
                    issued = Between(start, today.PlusDays(-10));
                    var validFrom = issued;
                    while (validFrom.PlusYears(3) < today.PlusDays(-31) && random.NextDouble() < 0.8)
                    {
                        validFrom = validFrom.PlusYears(3).PlusDays(-random.Next(3, 45));
                        renewals.Add(validFrom);
                    }
                }

                var device = new ImportDevice
                {
                    Serial = serial,
                    Kind = kind,
                    Holder = Holders[i],
                    IssuedOn = issued,
                    RenewedOn = [.. renewals],
                };
                var validSince = renewals.Count > 0 ? renewals[^1] : issued;
                if (revoked < 2 && kind == FirmaDeviceKind.BusinessKey && i > 0 && validSince.PlusYears(3) > today.PlusDays(60)
                    && validSince < today.PlusDays(-40) && random.NextDouble() < 0.2)
                {
                    revoked++;
                    device = device with { Revocation = new ImportRevocation { On = Between(validSince.PlusDays(10), today.PlusDays(-20)), Reason = RevocationReason.Lost } };
                }

                result.Add(device);
            }

            return result.ToImmutable();
        }

        private ImmutableList<ImportService> Services(LocalDate start)
        {
            var result = ImmutableList.CreateBuilder<ImportService>();
            if (random.NextDouble() < 0.7)
            {
                result.Add(new ImportService { Service = "s.5", Variant = "pacchetto", ActivatedOn = Between(start, today.PlusDays(-15)), Quantity = 1 });
            }

            if (random.NextDouble() < 0.6)
            {
                var on = Between(start, today.PlusDays(-30));
                var clients = Math.Max(3, (Population / 400) + random.Next(0, 6));
                var antivirus = new ImportService
                {
                    Service = "s.13",
                    Variant = random.NextDouble() < 0.7 ? "base" : "avanzato",
                    ActivatedOn = on,
                    Quantity = clients,
                };
                if (on < today.PlusDays(-120) && random.NextDouble() < 0.5)
                {
                    antivirus = antivirus with { QuantityChanges = [new ImportQuantity { EffectiveOn = Between(on.PlusDays(60), today), Quantity = clients + random.Next(1, 8) }] };
                }
                else if (random.NextDouble() < 0.08)
                {
                    var received = Between(on.PlusDays(15), today);
                    antivirus = antivirus with { Disdetta = new ImportDisdetta { ReceivedOn = received, Evidence = $"PEC del {received:yyyy-MM-dd}" } };
                }

                result.Add(antivirus);
            }

            if (random.NextDouble() < 0.5)
            {
                var on = Between(start, today.PlusDays(-90));
                result.Add(new ImportService
                {
                    Service = "s.2",
                    Variant = "intranet",
                    ActivatedOn = on,
                    Quantity = 1,
                    Consumption = Quarterly(on, "SMS", () => random.Next(40, 40 + (Population / 20)), "sms"),
                });
            }

            if (Population > 10_000 && random.NextDouble() < 0.6)
            {
                var on = Between(start, today.PlusDays(-60));
                result.Add(new ImportService
                {
                    Service = "s.14",
                    ActivatedOn = on,
                    Consumption = random.NextDouble() < 0.5
                        ? [new ImportConsumption { Id = $"ADS-{comune.IstatCode}-1", RecordedOn = Between(on, today), Quantity = random.Next(1, 3), Component = "giornata-aggiuntiva" }]
                        : [],
                });
            }

            if (Population > 8_000 && random.NextDouble() < 0.5)
            {
                var on = Between(start, today.PlusDays(-60));
                var days = ImmutableList.CreateBuilder<ImportConsumption>();
                var n = random.Next(1, 5);
                for (var i = 1; i <= n; i++)
                {
                    days.Add(new ImportConsumption
                    {
                        Id = $"GS-{comune.IstatCode}-{i}",
                        RecordedOn = Between(on, today),
                        Quantity = random.Next(1, 4),
                        Component = random.NextDouble() < 0.7 ? "giornata-base" : "giornata-avanzato",
                    });
                }

                result.Add(new ImportService { Service = "s.15", ActivatedOn = on, Consumption = days.ToImmutable() });
            }

            if (random.NextDouble() < 0.4)
            {
                result.Add(new ImportService { Service = "s.16", ActivatedOn = Between(start, today.PlusDays(-10)) });
            }

            if (comune.Population2011 > 100_000)
            {
                result.Add(new ImportService
                {
                    Service = "s.10",
                    Label = "gestionale-tributi",
                    ActivatedOn = Between(start, today.PlusDays(-100)),
                    AgreedPrice = 2_400m,
                });
            }

            return result.ToImmutable();
        }

        /// <summary>One record at the end of each quarter from <paramref name="from"/> up to today.</summary>
        private ImmutableList<ImportConsumption> Quarterly(LocalDate from, string prefix, Func<int> quantity, string component)
        {
            var result = ImmutableList.CreateBuilder<ImportConsumption>();
            var quarterEnd = new LocalDate(from.Year, ((from.Month - 1) / 3 * 3) + 3, 1).PlusMonths(1).PlusDays(-1);
            while (quarterEnd <= today)
            {
                result.Add(new ImportConsumption
                {
                    Id = $"{prefix}-{comune.IstatCode}-{quarterEnd.Year}-Q{((quarterEnd.Month - 1) / 3) + 1}",
                    RecordedOn = quarterEnd,
                    Quantity = quantity(),
                    Component = component,
                });
                quarterEnd = quarterEnd.PlusDays(1).PlusMonths(3).PlusDays(-1);
            }

            return result.ToImmutable();
        }

        /// <summary>A day between <paramref name="from"/> and <paramref name="to"/> (both included; <paramref name="from"/> when the range is empty).</summary>
        private LocalDate Between(LocalDate from, LocalDate to) =>
            to <= from ? from : from.PlusDays(random.Next(0, Period.DaysBetween(from, to) + 1));
    }
}
