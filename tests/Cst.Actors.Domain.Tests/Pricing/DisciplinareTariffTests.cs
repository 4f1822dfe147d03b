using System.Globalization;
using Cst.Actors.Domain.Pricing;
using static Cst.Actors.Domain.Tests.Pricing.PricingTestData;

namespace Cst.Actors.Domain.Tests.Pricing;

/// <summary>
/// One hand-worked case per tariff line of the Disciplinare of October 2020 (seed 001, "Contributo al servizio" of
/// each section). Expected figures are worked from the seed's prices, not taken from the engine.
/// </summary>
public class DisciplinareTariffTests
{
    [Theory]
    // s.1: helpdesk "compreso nella quota associativa annuale" -> 0.00
    [InlineData("s.1", null, "2025-01-01", "1", 2025, "helpdesk", "0.00")]
    // s.2: start-up "compreso nella quota associativa" -> 0.00
    [InlineData("s.2", "intranet", "2025-01-01", "1", 2025, "start-up", "0.00")]
    // s.2: Portale Prenotazioni "una tantum di 786,00" in the activation year -> 786.00
    [InlineData("s.2", "prenotazioni", "2025-06-12", "1", 2025, "portale-prenotazioni", "786.00")]
    // s.3: "non ci sono oneri per il Comune" -> 0.00
    [InlineData("s.3", null, "2025-01-01", "1", 2025, "applicazioni", "0.00")]
    // s.4: "non ci sono oneri per il Comune" -> 0.00
    [InlineData("s.4", null, "2025-01-01", "1", 2025, "applicazione", "0.00")]
    // s.5: standard package 100,00/anno, valid to 31 December whatever the activation date: activated 20 Nov -> 100.00
    [InlineData("s.5", "pacchetto", "2025-11-20", "1", 2025, "pacchetto-standard", "100.00")]
    // s.5: PRO mail 30,00/anno per 5 GB block; 12 GB extra = 3 started blocks; full year -> 3 x 30 = 90.00
    [InlineData("s.5", "posta-pro", "2025-01-01", "12", 2025, "posta-pro", "90.00")]
    // s.6: realizzazione sito 2.000,00 una tantum -> 2000.00
    [InlineData("s.6", "standard", "2025-03-03", "1", 2025, "realizzazione", "2000.00")]
    // s.6: manutenzione 150,00/anno dal secondo anno: activated 2024, whole 2025 -> 150.00
    [InlineData("s.6", "standard", "2024-06-10", "1", 2025, "manutenzione", "150.00")]
    // s.7: attivazione ambiente 200,00 una tantum -> 200.00
    [InlineData("s.7", null, "2025-02-01", "1", 2025, "attivazione", "200.00")]
    // s.8: fase di avvio 300,00 una tantum -> 300.00
    [InlineData("s.8", null, "2025-02-01", "250", 2025, "avvio", "300.00")]
    // s.8: manutenzione 100,00 per 100 GB dal secondo anno; 250 GB = 3 started blocks -> 3 x 100 = 300.00
    [InlineData("s.8", null, "2024-02-01", "250", 2025, "manutenzione", "300.00")]
    // s.9: 265,00 a postazione una tantum (with 8 hours of classroom training); 3 workstations -> 795.00
    [InlineData("s.9", "catalogo", "2025-09-01", "3", 2025, "postazione", "795.00")]
    // s.9: gestione 200,00/anno/utente dal secondo anno; 3 users, whole 2025 -> 600.00
    [InlineData("s.9", "catalogo", "2024-09-01", "3", 2025, "gestione", "600.00")]
    // s.9: "nessun onere" for Web/OPAC consultation stations -> 0.00
    [InlineData("s.9", "catalogo", "2025-09-01", "3", 2025, "postazioni-opac", "0.00")]
    // s.9 B: library web site "stessi oneri" as s.6: 2.000,00 una tantum -> 2000.00
    [InlineData("s.9", "sito-biblioteca", "2025-05-05", "1", 2025, "realizzazione-sito", "2000.00")]
    // s.9 B: library web site maintenance as s.6, 150,00 from the second year -> 150.00
    [InlineData("s.9", "sito-biblioteca", "2023-05-05", "1", 2025, "manutenzione-sito", "150.00")]
    // s.11 PEC standard 7,50/anno per mailbox, full year -> 7.50
    [InlineData("s.11", "pec-standard", "2024-01-01", "1", 2025, "pec-standard", "7.50")]
    // s.11 PEC silver 15,00/anno -> 15.00
    [InlineData("s.11", "pec-silver", "2024-01-01", "1", 2025, "pec-silver", "15.00")]
    // s.11 PEC gold 22,00/anno -> 22.00
    [InlineData("s.11", "pec-gold", "2024-01-01", "1", 2025, "pec-gold", "22.00")]
    // s.11 PEC massiva 185,00/anno -> 185.00
    [InlineData("s.11", "pec-massiva", "2024-01-01", "1", 2025, "pec-massiva", "185.00")]
    // s.11 custom-domain packs 60,00/anno per pack of 10; 10 mailboxes = 1 pack -> 60.00
    [InlineData("s.11", "pec-personalizzate", "2024-01-01", "10", 2025, "pacchetto-10-pec", "60.00")]
    // s.11 custom-domain packs: 11 mailboxes = 2 started packs -> 120.00
    [InlineData("s.11", "pec-personalizzate", "2024-01-01", "11", 2025, "pacchetto-10-pec", "120.00")]
    // s.11 certification and configuration of the custom domain 60,00 una tantum -> 60.00 (once, not per pack)
    [InlineData("s.11", "pec-personalizzate", "2025-04-01", "25", 2025, "certificazione-dominio", "60.00")]
    // s.11 extra mailbox space 4,00/anno per GB; 3 GB full year -> 12.00
    [InlineData("s.11", "spazio-aggiuntivo", "2024-01-01", "3", 2025, "spazio-aggiuntivo", "12.00")]
    // s.11 conservazione contenuto PEC 98,00/anno/1GB; 2 GB full year -> 196.00
    [InlineData("s.11", "conservazione-pec", "2024-01-01", "2", 2025, "conservazione-pec", "196.00")]
    // s.11 BusinessKey 38,00 -> 38.00 in the year of issue
    [InlineData("s.11", "businesskey", "2025-07-07", "1", 2025, "businesskey", "38.00")]
    // s.11 firma remota 50,00 -> 50.00 in the year of issue
    [InlineData("s.11", "firma-remota", "2025-07-07", "1", 2025, "firma-remota", "50.00")]
    // s.12 98,00 annuali per GB occupied; 3 GB, full year -> 294.00
    [InlineData("s.12", "portale", "2024-01-01", "3", 2025, "spazio", "294.00")]
    // s.12 avvio 508,00 una tantum -> 508.00
    [InlineData("s.12", "portale", "2025-02-02", "1", 2025, "avvio", "508.00")]
    // s.12 connettore 508,00 una tantum -> 508.00
    [InlineData("s.12", "connettore", "2025-02-02", "1", 2025, "connettore", "508.00")]
    // s.13 modulo base 15,00/anno per client/server; 40 clients -> 600.00
    [InlineData("s.13", "base", "2024-01-01", "40", 2025, "modulo-base", "600.00")]
    // s.13 modulo avanzato 25,00/anno per client/server; 40 clients -> 1000.00
    [InlineData("s.13", "avanzato", "2024-01-01", "40", 2025, "modulo-avanzato", "1000.00")]
    // s.14 contributo annuo base 1.867,00 (5 days), full year -> 1867.00
    [InlineData("s.14", null, "2024-01-01", "1", 2025, "contributo-base", "1867.00")]
    // s.16 DPM 900,00 for the first year, due in full even when activated in November -> 900.00
    [InlineData("s.16", null, "2025-11-15", "1", 2025, "primo-anno", "900.00")]
    // s.16 DPM 500,00 all'anno from the second year -> 500.00
    [InlineData("s.16", null, "2024-11-15", "1", 2025, "manutenzione", "500.00")]
    // s.17 contributo forfettario 981,00 -> 981.00
    [InlineData("s.17", null, "2025-03-01", "1", 2025, "installazione", "981.00")]
    // s.17 maintenance 1 day of GS BASE 288,00 a year (from the second year, CHOICES C9) -> 288.00
    [InlineData("s.17", null, "2024-03-01", "1", 2025, "manutenzione", "288.00")]
    // s.18 contributo annuo base 1.439,00, full year -> 1439.00
    [InlineData("s.18", "backup-dr", "2024-01-01", "1", 2025, "contributo-base", "1439.00")]
    // s.18 maintenance 4 days of GS BASE 1.152,00 a year (from the second year, C9) -> 1152.00
    [InlineData("s.18", "backup-dr", "2024-01-01", "1", 2025, "manutenzione", "1152.00")]
    // s.18 hosting backup 20 per TB per month; 2.4 TB = 3 started TB; 12 months -> 20 x 3 x 12 = 720.00
    [InlineData("s.18", "hosting-backup", "2024-01-01", "2.4", 2025, "hosting-backup", "720.00")]
    // s.19 installazione/startup 1.047,00 una tantum -> 1047.00
    [InlineData("s.19", null, "2025-03-01", "1", 2025, "installazione", "1047.00")]
    // s.19 maintenance 2 days of GS BASE 576,00 a year (from the second year, C9) -> 576.00
    [InlineData("s.19", null, "2024-03-01", "1", 2025, "manutenzione", "576.00")]
    public void Compute_TariffLine_MatchesSeedPrice(
        string service, string? variant, string activatedOn, string quantity, int year, string component, string expected)
    {
        var subscription = Sub(service, variant, activatedOn, decimal.Parse(quantity, CultureInfo.InvariantCulture));

        var statement = Bill(year, subscription);

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), Amount(statement, service, component));
        Assert.NotEmpty(Lines(statement, service, component));
    }

    [Fact]
    public void Compute_SmsConsumption_CostsFiveCentsEach()
    {
        // s.2: traffico SMS 0,05 euro per SMS; 1,234 SMS recorded in 2025 -> 1234 x 0.05 = 61.70
        var intranet = Sub("s.2", "intranet", "2024-01-01") with { Consumption = [new(D("2025-05-31"), 1234m)] };

        Assert.Equal(61.70m, Amount(Bill(2025, intranet), "s.2", "sms"));
    }

    [Fact]
    public void Compute_CustomSite_ChargesAgreedPriceOnce()
    {
        // s.6 personalizzazioni: the work plan's contribution, here agreed at 3,500.00, once in the activation year
        var site = Sub("s.6", "personalizzato", "2025-04-01") with { AgreedPrice = 3500m };

        Assert.Equal(3500m, Amount(Bill(2025, site), "s.6", "personalizzazione"));
        Assert.Equal(0m, Amount(Bill(2026, site), "s.6", "personalizzazione"));
    }

    [Fact]
    public void Compute_ClassroomTraining_CostsPerPersonPerSession()
    {
        // s.9 (3): formazione in aula 150,00 a persona per sessione; 4 people -> 600.00
        var library = Sub("s.9", "catalogo", "2024-01-01", 2m) with { Consumption = [new(D("2025-10-10"), 4m)] };

        Assert.Equal(600m, Amount(Bill(2025, library), "s.9", "formazione-catalogazione"));
    }

    [Fact]
    public void Compute_ArchiveConversion_ChargesAgreedPrice()
    {
        // s.9 (3): conversione degli archivi "valutati di volta in volta": agreed 1,250.00, one-off
        var conversion = Sub("s.9", "conversione", "2025-02-14") with { AgreedPrice = 1250m };

        Assert.Equal(1250m, Amount(Bill(2025, conversion), "s.9", "conversione-archivi"));
    }

    [Fact]
    public void Compute_Hosting_ProRatesAgreedAnnualPrice()
    {
        // s.10: price after the technical check, agreed 1,200.00/yr; active from 1 April = 9 months -> 1200 x 9 / 12 = 900.00
        var hosting = Sub("s.10", null, "2025-04-01") with { AgreedPrice = 1200m };

        Assert.Equal(900m, Amount(Bill(2025, hosting), "s.10", "hosting"));
    }

    [Fact]
    public void Compute_BusinessKeyRenewal_CostsThirteen()
    {
        // s.11 firma (2): rinnovo triennale 13,00 for both certificates; issued 2023-03-01, renewed 2026-02-20 -> 13.00
        var device = Sub("s.11", "businesskey", "2023-03-01") with { Renewals = [D("2026-02-20")] };

        Assert.Equal(13m, Amount(Bill(2026, device), "s.11", "rinnovo-businesskey"));
    }

    [Fact]
    public void Compute_FirmaRemotaRenewal_CostsFifty()
    {
        // s.11 firma (3): 50,00 "rinnovabile" with no separate renewal price (CHOICES C6) -> 50.00
        var remote = Sub("s.11", "firma-remota", "2023-03-01") with { Renewals = [D("2026-01-15")] };

        Assert.Equal(50m, Amount(Bill(2026, remote), "s.11", "rinnovo-firma-remota"));
    }

    [Fact]
    public void Compute_AdsExtraDay_CostsAnAdvancedGlobalServiceDay()
    {
        // s.14: each extra day at the price of a Global Service AVANZATO day (s.15: 393,00); 2 days -> 786.00
        var ads = Sub("s.14", null, "2024-01-01") with { Consumption = [new(D("2025-06-01"), 2m, "giornata-aggiuntiva")] };

        Assert.Equal(786m, Amount(Bill(2025, ads), "s.14", "giornata-aggiuntiva"));
    }

    [Fact]
    public void Compute_GlobalServiceDays_UseBaseAndAdvancedRates()
    {
        // s.15: 288,00 per BASE day, 393,00 per AVANZATO day; 3 base + 2 advanced -> 864.00 + 786.00
        var gs = Sub("s.15", null, "2025-01-10") with
        {
            Consumption = [new(D("2025-02-01"), 3m, "giornata-base"), new(D("2025-03-01"), 2m, "giornata-avanzato")],
        };

        var statement = Bill(2025, gs);

        Assert.Equal(864m, Amount(statement, "s.15", "giornata-base"));
        Assert.Equal(786m, Amount(statement, "s.15", "giornata-avanzato"));
    }

    [Fact]
    public void Compute_Consultancy_ChargesAgreedPrice()
    {
        // s.20: no tariff; agreed 4,000.00 for the project, billed in the year it starts (C11)
        var consultancy = Sub("s.20", null, "2025-09-09") with { AgreedPrice = 4000m };

        Assert.Equal(4000m, Amount(Bill(2025, consultancy), "s.20", "progetto"));
    }
}
