using Cst.Actors.Admin.Tui;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Lifecycle;
using NodaTime;

namespace Cst.Actors.Admin.Tests;

/// <summary>The console's languages: choice, formats, words of the domain's enums, refusals, widths at 80 columns.</summary>
public sealed class TextsTests
{
    [Theory]
    [InlineData(new string[0], null, "it", "")]
    [InlineData(new[] { "--lang", "en" }, null, "en", "")]
    [InlineData(new[] { "--lang=en", "ente", "list" }, "it", "en", "ente list")]
    [InlineData(new[] { "ente", "list" }, "en_GB.UTF-8", "en", "ente list")]
    [InlineData(new[] { "--lang", "it" }, "en", "it", "")]
    public void Choose_ArgumentThenEnvironmentThenItalian_AndTheOptionLeavesTheArguments(string[] args, string? env, string code, string rest)
    {
        var texts = Texts.Choose(ref args, env, out var problem);

        Assert.Null(problem);
        Assert.Equal(code, texts!.Code);
        Assert.Equal(rest, string.Join(" ", args));
    }

    [Fact]
    public void Choose_UnknownLanguage_IsRefusedNamingIt()
    {
        string[] args = ["--lang", "fr"];
        Assert.Null(Texts.Choose(ref args, null, out var problem));
        Assert.Equal("the language is it or en, not 'fr'", problem);
    }

    [Fact]
    public void Italian_FormatsMoneyDatesAndTimesAsTheCstWritesThem()
    {
        var it = Texts.Italian;
        Assert.Equal("1.234,56", it.Money(Domain.Money.Euro(1234.56m)));
        Assert.Equal("4.854,00", it.Money(Domain.Money.Euro(4854m)));
        Assert.Equal("31/12/2026", it.Date(new LocalDate(2026, 12, 31)));
        Assert.Equal("12.345", it.Number(12345));
        // Rome is UTC+2 in summer and UTC+1 in winter.
        Assert.Equal("01/07/2026 12:30", it.Time(Instant.FromUtc(2026, 7, 1, 10, 30)));
        Assert.Equal("15/01/2026 11:30", it.Time(Instant.FromUtc(2026, 1, 15, 10, 30)));
        Assert.Equal("2026-01-15 11:30", Texts.English.Time(Instant.FromUtc(2026, 1, 15, 10, 30)));
        Assert.Equal("1,234.56", Texts.English.Money(Domain.Money.Euro(1234.56m)));
    }

    [Fact]
    public void Italian_NamesEveryStatusDeadlineKindReasonAndRunStatusInPlainWords()
    {
        var names = Enum.GetNames<DeadlineKind>().Concat(Enum.GetNames<ServiceStatus>()).Concat(Enum.GetNames<FirmaDeviceStatus>())
            .Concat(Enum.GetNames<RevocationReason>()).Concat(Enum.GetNames<BillingRunStatus>());
        foreach (var name in names)
        {
            Assert.True(Texts.Italian.Words.ContainsKey(name), $"no Italian word for {name}");
        }

        Assert.Equal("disdetta ricevuta", Texts.Italian.Word(ServiceStatus.DisdettaReceived));
        Assert.Equal("scadenza tra 30 giorni", Texts.Italian.Word(DeadlineKind.ExpiryWarning30Days));
        Assert.Equal("titolare cessato", Texts.Italian.Word(RevocationReason.HolderLeft));
        Assert.Equal("DisdettaReceived", Texts.English.Word(ServiceStatus.DisdettaReceived));
    }

    [Fact]
    public void Italian_RewritesTheCommonRefusalsWithItalianDates_AndLeavesOthersAsTheyAre()
    {
        Assert.Equal(
            "casella PEC anagrafe@pec.comune.example.it ha già una disdetta ricevuta il 01/03/2026; un'altra il 02/03/2026 è rifiutata",
            Texts.Italian.Error("PEC mailbox anagrafe@pec.comune.example.it already has a disdetta received on 2026-03-01; another on 2026-03-02 is refused"));
        Assert.Equal("ente 028001 è già registrato come Comune di Abano Terme; usare la modifica",
            Texts.Italian.Error("ente 028001 is already registered as Comune di Abano Terme; use edit"));
        Assert.Equal("dispositivo di firma BK-1 non esiste", Texts.Italian.Error("firma device BK-1 does not exist"));
        Assert.Equal("Something new on 31/12/2026", Texts.Italian.Error("Something new on 2026-12-31"));
        Assert.Equal("Something new on 2026-12-31", Texts.English.Error("Something new on 2026-12-31"));
    }

    [Fact]
    public void Italian_WordsTheDetailOfAnObject()
    {
        Assert.Equal("standard dal 15/01/2025, disdetta del 01/03/2026 (PROT-1), termina il 31/12/2026",
            Texts.Italian.Detail("standard from 2025-01-15, disdetta 2026-03-01 (PROT-1), ends 2026-12-31"));
        Assert.Equal("BusinessKey Mario Rossi, scade il 01/12/2026", Texts.Italian.Detail("BusinessKey Mario Rossi, expires 2026-12-01"));
        Assert.Equal("gold richiesto", Texts.Italian.Detail("gold requested"));
        Assert.Equal("gold requested", Texts.English.Detail("gold requested"));
    }

    public static TheoryData<string> Languages => ["it", "en"];

    [Theory]
    [MemberData(nameof(Languages))]
    public void KeyLines_FitTheWindowAt80Columns(string code)
    {
        var t = code == "it" ? Texts.Italian : Texts.English;
        // 80 columns less the window's two borders.
        foreach (var line in new[] { t.GlobalKeys, t.EntiKeys, t.EnteKeys, t.DeadlinesKeys, t.NoticesKeys, t.AuditKeys, t.CatalogueKeys, t.BillingKeys, t.OutboxKeys })
        {
            Assert.True(line.Length <= 78, $"'{line}' is {line.Length} columns");
        }

        foreach (var line in t.GlobalHelp.Concat(t.EntiHelp).Concat(t.EnteHelp).Concat(t.DeadlinesHelp).Concat(t.CatalogueHelp).Concat(t.BillingHelp).Concat(t.OutboxHelp))
        {
            // The help window's text area at 80 columns.
            Assert.True(line.Length <= 74, $"'{line}' is {line.Length} columns");
        }
    }

    [Fact]
    public void Wrap_BreaksAtSpacesWithinTheWidth()
    {
        var lines = MainWindow.Wrap("Errore: casella PEC anagrafe@pec.comune.example.it ha già una disdetta ricevuta il 01/03/2026", 40);
        Assert.All(lines, l => Assert.True(l.Length <= 40, l));
        Assert.Equal("Errore: casella PEC anagrafe@pec.comune.example.it ha già una disdetta ricevuta il 01/03/2026", string.Join(" ", lines));
    }
}
