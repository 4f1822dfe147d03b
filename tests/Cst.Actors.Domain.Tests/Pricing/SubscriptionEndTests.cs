using Cst.Actors.Domain.Pricing;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Pricing;

/// <summary>
/// When a subscription stops by its own facts (DESIGN rule 11, seed 002: a disdetta received in year Y takes effect at
/// the end of Y, so the service is last active on 31 December of Y; a cessation ends it on its date).
/// </summary>
public class SubscriptionEndTests
{
    private static readonly Subscription Antivirus = new("av-1", "s.13", new LocalDate(2023, 3, 1));

    [Fact]
    public void EndsOn_NothingRecorded_RunsOn()
    {
        Assert.Null(Antivirus.EndsOn());
        Assert.True(Antivirus.IsActiveOn(new LocalDate(2030, 1, 1)));
        Assert.False(Antivirus.IsActiveOn(new LocalDate(2023, 2, 28)));
        Assert.True(Antivirus.IsActiveOn(new LocalDate(2023, 3, 1)));
    }

    [Fact]
    public void EndsOn_DisdettaInJune_EndsOnFirstJanuaryNext()
    {
        var s = Antivirus with { DisdettaReceivedOn = new LocalDate(2025, 6, 15) };

        Assert.Equal(new LocalDate(2026, 1, 1), s.EndsOn());
        Assert.True(s.IsActiveOn(new LocalDate(2025, 12, 31)));
        Assert.False(s.IsActiveOn(new LocalDate(2026, 1, 1)));
    }

    [Fact]
    public void EndsOn_CessationBeforeTheDisdettasEffect_EndsOnTheCessation()
    {
        var s = Antivirus with { DisdettaReceivedOn = new LocalDate(2025, 6, 15), CeasedOn = new LocalDate(2025, 9, 1) };

        Assert.Equal(new LocalDate(2025, 9, 1), s.EndsOn());
        Assert.True(s.IsActiveOn(new LocalDate(2025, 8, 31)));
        Assert.False(s.IsActiveOn(new LocalDate(2025, 9, 1)));
    }
}
