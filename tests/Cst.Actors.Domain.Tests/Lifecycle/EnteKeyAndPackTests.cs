using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Validation;
using static Cst.Actors.Domain.Tests.Deadlines.TestDates;

namespace Cst.Actors.Domain.Tests.Lifecycle;

public sealed class EnteKeyAndPackTests
{
    // A well-formed codice fiscale: ten digits and their check digit.
    private static readonly string ValidCf = "8000849028" + CodiceFiscaleEnte.ComputeCheckDigit("8000849028");

    [Fact]
    public void Key_OfAComune_IsItsIstatCode_OfOtherBodiesTheirCodiceFiscale()
    {
        Assert.Equal("028060", EnteKey.For(EnteKind.Comune, " 028060 ", ValidCf));
        Assert.Equal(ValidCf, EnteKey.For(EnteKind.UnioneDiComuni, null, ValidCf));
    }

    [Theory]
    [InlineData(EnteKind.Comune, null, null, "ISTAT code")]
    [InlineData(EnteKind.Comune, "28060", null, "28060")]
    [InlineData(EnteKind.Provincia, null, null, "codice fiscale")]
    [InlineData(EnteKind.Provincia, "028060", null, "028060")]
    public void Key_WithMissingOrMisplacedCodes_IsRefusedNamingThem(EnteKind kind, string? istat, string? cf, string named)
    {
        var result = EnteKey.Validate(kind, istat, cf);

        Assert.False(result.Success);
        Assert.Contains(named, result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_WithAWrongCheckDigit_IsRefusedForEveryKind()
    {
        var wrong = ValidCf[..10] + (char)('0' + ((ValidCf[10] - '0' + 1) % 10));

        Assert.IsType<InvalidCodiceFiscaleException>(EnteKey.Validate(EnteKind.AltroEnte, null, wrong).Error);
        Assert.IsType<InvalidCodiceFiscaleException>(EnteKey.Validate(EnteKind.Comune, "028060", wrong).Error);
    }

    [Fact]
    public void Pack_Merge_CountsActiveMembersDayByDay_AndCeasesWhenTheLastEnds()
    {
        Subscription Member(string id, string from, string? disdetta = null, string? ceased = null) =>
            new(id, "s.11", D(from))
            {
                Variant = "pec-personalizzate",
                DisdettaReceivedOn = disdetta is null ? null : D(disdetta),
                CeasedOn = ceased is null ? null : D(ceased),
            };

        var pack = CustomDomainPack.Merge("comune.it", [
            Member("a", "2025-02-01", disdetta: "2025-05-05"),
            Member("b", "2025-06-10", ceased: "2026-03-01"),
            Member("c", "2025-06-10", ceased: "2026-04-01"),
        ]);

        Assert.Equal("pack:comune.it", pack.Id);
        Assert.Equal(D("2025-02-01"), pack.ActivatedOn);
        Assert.Equal(1m, pack.Quantity);
        Assert.Equal(
            [new QuantityChange(D("2025-06-10"), 3m), new QuantityChange(D("2026-01-01"), 2m), new QuantityChange(D("2026-03-01"), 1m)],
            pack.QuantityChanges);
        Assert.Equal(D("2026-04-01"), pack.CeasedOn);
    }
}
