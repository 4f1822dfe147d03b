using Cst.Actors.Admin.Tui;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// The domain's refusals by code: every code has its sentence in Italian and in English, the English one is the
/// domain's own sentence word for word, and the Italian one names the same values (dates as the CST writes them).
/// </summary>
public sealed class RefusalTextsTests
{
    [Fact]
    public void EveryRefusalCode_HasAnItalianAndAnEnglishText_WithNoEnglishLeftInTheItalian()
    {
        Assert.True(RefusalCode.All.Count >= 40, $"only {RefusalCode.All.Count} codes");
        string[] values = ["ente 028001", "2026-03-01", "2026-03-02", "4", "5", "6"];
        foreach (var code in RefusalCode.All)
        {
            Assert.True(Texts.Italian.Refusals.ContainsKey(code), $"no Italian text for {code}");
            Assert.True(Texts.English.Refusals.ContainsKey(code), $"no English text for {code}");
            var italian = Texts.Italian.Refusal(code, values)!;
            Assert.NotEqual(Texts.English.Refusal(code, values), italian);
            Assert.DoesNotContain(" refused", italian, StringComparison.Ordinal);
            Assert.DoesNotContain("2026-03-0", italian, StringComparison.Ordinal);
        }

        Assert.Equal(RefusalCode.All.Count, Texts.Italian.Refusals.Count);
        Assert.Equal(RefusalCode.All.Count, Texts.English.Refusals.Count);
    }

    public static TheoryData<string, string> DomainRefusals()
    {
        var today = new LocalDate(2026, 11, 20);
        var mailbox = ServiceLifecycle.Request("PEC mailbox anagrafe@pec.comune.example.it", new LocalDate(2026, 1, 10))
            .WithActivation(new LocalDate(2026, 2, 1), new LocalDate(2020, 1, 1));
        var refusals = new List<DomainException?>
        {
            IstatCode.Validate("").Error,
            IstatCode.Validate("28060").Error,
            IstatCode.Validate("0280601").Error,
            IstatCode.Validate("02806x").Error,
            IstatCode.Validate("000060").Error,
            IstatCode.Validate("028000").Error,
            CodiceFiscaleEnte.Validate("").Error,
            CodiceFiscaleEnte.Validate("RSSMRA80A01G224K").Error,
            CodiceFiscaleEnte.Validate("IT80007580279").Error,
            CodiceFiscaleEnte.Validate("8000758 279").Error,
            CodiceFiscaleEnte.Validate("8000758A279").Error,
            CodiceFiscaleEnte.Validate("8000758027").Error,
            CodiceFiscaleEnte.Validate("00000000000").Error,
            CodiceFiscaleEnte.Validate("8000758027" + ((CodiceFiscaleEnte.ComputeCheckDigit("8000758027") + 1) % 10)).Error,
            Guard.ValidateAmount(-1m, "agreed price of service 028060/s.13/1").Error,
            Guard.ValidateAmount(12.345m, "agreed price of service 028060/s.13/1").Error,
            Guard.ValidateAmount(20000m, "agreed price of service 028060/s.13/1").Error,
            Guard.ValidateQuantity(-2, "quantity of service 028060/s.13/1").Error,
            Guard.ValidatePositiveQuantity(0m, "consumption of service 028060/s.13/1").Error,
            Guard.ValidateInhabitants(20_000_000, "population of ente 028060 at 1 January 2026").Error,
            Guard.ValidateWholeUnits(1.5m, "client", "quantity of service 028060/s.13/1").Error,
            Guard.ValidateDate(new LocalDate(1899, 12, 31), "activation date of PEC mailbox a@pec.example.it").Error,
            Guard.ValidateNotBefore(new LocalDate(2026, 1, 1), "disdetta date of service 028060/s.13/1", new LocalDate(2026, 2, 1), "activation date").Error,
            FactDates.Validate(FactKind.DisdettaReceived, new LocalDate(2026, 12, 1), today, "PEC mailbox a@pec.example.it").Error,
            FactDates.Validate(FactKind.Revocation, new LocalDate(2026, 12, 1), today, "firma device BK-1").Error,
            Refused(() => mailbox.WithActivation(new LocalDate(2026, 3, 1), new LocalDate(2020, 1, 1))),
            Refused(() => mailbox.WithDisdetta(new LocalDate(2026, 3, 1), "PROT-1").WithDisdetta(new LocalDate(2026, 3, 2), "PROT-2")),
            Refused(() => mailbox.WithDisdetta(new LocalDate(2026, 1, 20), "PROT-1")),
            Refused(() => mailbox.WithCessation(new LocalDate(2026, 2, 1))),
            Refused(() => ServiceLifecycle.Request("service 028060/s.13/1", new LocalDate(2026, 1, 10)).WithDisdetta(new LocalDate(2026, 3, 1), null)),
            Refused(() => ServiceLifecycle.Request("service 028060/s.13/1", new LocalDate(2026, 1, 10)).WithActivation(new LocalDate(2026, 1, 5), new LocalDate(2020, 1, 1))),
            Refused(() => ServiceLifecycle.Request("service 028060/s.13/1", new LocalDate(2026, 1, 10)).WithActivation(new LocalDate(2026, 1, 15), new LocalDate(2026, 2, 1))),
        };
        var data = new TheoryData<string, string>();
        foreach (var e in refusals)
        {
            Assert.NotNull(e);
            Assert.NotNull(e.Code);
            data.Add(e.Code, e.Message + "\u0001" + string.Join("\u0002", e.Args));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DomainRefusals))]
    public void EnglishText_IsTheDomainsOwnSentence_AndTheItalianOneNamesTheSameValues(string code, string messageAndArgs)
    {
        var parts = messageAndArgs.Split('\u0001');
        var args = parts[1].Length == 0 ? [] : parts[1].Split('\u0002');

        Assert.Equal(parts[0], Texts.English.Refusal(code, args));
        var italian = Texts.Italian.Refusal(code, args)!;
        Assert.DoesNotContain(" refused", italian, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", italian);
        foreach (var code6 in args.Where(a => a.Length is 5 or 6 && a.All(char.IsAsciiDigit)))
        {
            Assert.Contains(code6, italian, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ItalianText_OfCommonRefusals_ReadsAsTheCstWritesIt()
    {
        var it = Texts.Italian;
        Assert.Equal(
            "casella PEC anagrafe@pec.comune.example.it ha già una disdetta ricevuta il 01/03/2026; un'altra il 02/03/2026 è rifiutata",
            it.Refusal(RefusalCode.DisdettaTwice, ["PEC mailbox anagrafe@pec.comune.example.it", "2026-03-01", "2026-03-02"]));
        Assert.Equal(
            "il codice ISTAT 28060 deve avere 6 cifre; ne ha 5 (un foglio di calcolo può aver tolto gli zeri iniziali)",
            it.Refusal(RefusalCode.IstatLength, ["28060", "5"]));
        Assert.Equal(
            "prezzo concordato di servizio 028060/s.13/1: il valore 20000 è troppo grande, al massimo 10.000",
            it.Refusal(RefusalCode.RangeTooLarge, ["agreed price of service 028060/s.13/1", "20000", "10,000"]));
        Assert.Equal(
            "quantità di servizio 028060/s.13/1: il valore 1,5 si conta in unità intere (client); dare un numero intero",
            it.Refusal(RefusalCode.RangeWholeUnits, ["quantity of service 028060/s.13/1", "1.5", "client"]));
        Assert.Equal(
            "calcolo definitivo 2026: 2 enti non fatturati nella revisione 1 (028001, 028002; lo stato del calcolo dice perché); "
            + "correggerli e ricalcolare prima di chiudere",
            it.Refusal(RefusalCode.RunCloseFailed, ["billing run 2026 final", "2", "1", "028001, 028002", "0"]));
        Assert.Equal("casella PEC x@pec.example.it: l'attivazione dal 01/01/2019 è prima dell'adesione di ente 028001 al CST il 01/01/2020",
            it.Refusal(RefusalCode.EnteObjectBeforeAdhesion, ["PecMailbox", "x@pec.example.it", "2019-01-01", "ente 028001", "2020-01-01"]));
    }

    [Fact]
    public void UnknownCode_OrTooFewValues_FallBackToTheGrainsSentence()
    {
        Assert.Null(Texts.Italian.Refusal("some.future-code", ["a"]));
        Assert.Null(Texts.Italian.Refusal(null, []));
        Assert.Null(Texts.Italian.Refusal(RefusalCode.DisdettaTwice, ["PEC mailbox a@b.it"]));
        var error = new Contracts.Errors.CstDomainError("IllegalTransition", "pecmailbox/a", "PEC mailbox a@b.it is not registered", "some.future-code", ["a"]);
        Assert.Equal("casella PEC a@b.it non è registrato", Infrastructure.ErrorText.Of(error, Texts.Italian));
    }

    private static DomainException? Refused(Action act)
    {
        try
        {
            act();
            return null;
        }
        catch (DomainException e)
        {
            return e;
        }
    }
}
