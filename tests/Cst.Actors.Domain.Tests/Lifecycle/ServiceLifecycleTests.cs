using Cst.Actors.Domain;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Validation;
using static Cst.Actors.Domain.Tests.Deadlines.TestDates;

namespace Cst.Actors.Domain.Tests.Lifecycle;

public sealed class ServiceLifecycleTests
{
    private static readonly ServiceLifecycle Active = ServiceLifecycle.Request("PEC mailbox a@pec.it", D("2024-01-10"))
        .WithActivation(D("2024-02-01"), D("2020-01-01"));

    [Theory]
    [InlineData("2025-12-31", "2026-01-01")]
    [InlineData("2026-01-01", "2027-01-01")]
    [InlineData("2024-02-01", "2025-01-01")]
    public void WithDisdetta_ReceivedOn_EndsOnTheFollowingFirstOfJanuary(string received, string ends)
    {
        var after = Active.WithDisdetta(D(received), " prot. 12 ");

        Assert.Equal(D(ends), after.EndsOn);
        Assert.Equal("prot. 12", after.DisdettaEvidence);
        Assert.Equal(ServiceStatus.DisdettaReceived, after.StatusOn(D(ends).PlusDays(-1)));
        Assert.Equal(ServiceStatus.Ceased, after.StatusOn(D(ends)));
    }

    [Fact]
    public void WithDisdetta_OnACeasedService_IsRefusedNamingTheDates()
    {
        var ceased = Active.WithCessation(D("2024-03-01"));

        var error = Assert.Throws<IllegalTransitionException>(() => ceased.WithDisdetta(D("2025-02-01"), "y"));

        Assert.Contains("a@pec.it", error.Message, StringComparison.Ordinal);
        Assert.Contains("2024-03-01", error.Message, StringComparison.Ordinal);
        Assert.Contains("2025-02-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithDisdetta_Repeated_IsTheSameValue_AnotherDateIsRefused()
    {
        var once = Active.WithDisdetta(D("2024-06-01"), "x");

        Assert.Same(once, once.WithDisdetta(D("2024-06-01"), "x"));
        Assert.Throws<IllegalTransitionException>(() => once.WithDisdetta(D("2024-06-02"), "x"));
    }

    [Fact]
    public void WithDisdetta_RepeatedWithOtherEvidence_IsRefusedNamingBoth_WithoutEvidenceIsTheSameValue()
    {
        var once = Active.WithDisdetta(D("2024-06-01"), "prot. 2024/1234");

        var error = Assert.Throws<IllegalTransitionException>(() => once.WithDisdetta(D("2024-06-01"), "prot. 2024/9999"));
        Assert.Equal(RefusalCode.DisdettaOtherEvidence, error.Code);
        Assert.Contains("'prot. 2024/1234'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'prot. 2024/9999'", error.Message, StringComparison.Ordinal);
        Assert.Same(once, once.WithDisdetta(D("2024-06-01"), null));
        Assert.Same(once, once.WithDisdetta(D("2024-06-01"), " prot. 2024/1234 "));
    }

    [Fact]
    public void WithDisdetta_BeforeActivationOrWhileOnlyRequested_IsRefused()
    {
        var requested = ServiceLifecycle.Request("service x", D("2024-01-10"));

        Assert.Throws<IllegalTransitionException>(() => requested.WithDisdetta(D("2024-03-01"), null));
        Assert.Throws<IllegalTransitionException>(() => Active.WithDisdetta(D("2024-01-31"), null));
    }

    [Theory]
    [InlineData("2024-01-09", "2020-01-01")]
    [InlineData("2024-02-01", "2024-02-02")]
    public void WithActivation_BeforeRequestOrAdhesion_IsRefused(string on, string adhered)
    {
        var requested = ServiceLifecycle.Request("service x", D("2024-01-10"));

        var error = Assert.Throws<IllegalTransitionException>(() => requested.WithActivation(D(on), D(adhered)));

        Assert.Contains(on, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithActivation_Repeated_IsTheSameValue_AnotherDateIsRefused()
    {
        Assert.Same(Active, Active.WithActivation(D("2024-02-01"), D("2020-01-01")));
        Assert.Throws<IllegalTransitionException>(() => Active.WithActivation(D("2024-03-01"), D("2020-01-01")));
    }

    [Fact]
    public void WithCessation_EarlierEndWins_AndTheScheduleStopsThere()
    {
        var withdrawn = Active.WithDisdetta(D("2024-06-01"), "x").WithCessation(D("2024-09-15"));

        Assert.Equal(D("2024-09-15"), withdrawn.EndsOn);
        Assert.Same(withdrawn, withdrawn.WithCessation(D("2024-10-01")));
        Assert.Equal("Cessation 2024-09-15", Flat(withdrawn.Schedule!.DueIn(D("2024-01-01"), D("2030-01-01"))));
        Assert.Throws<IllegalTransitionException>(() => Active.WithCessation(D("2024-02-01")));
    }

    [Fact]
    public void CheckActiveOn_OutsideTheActiveSpan_IsRefused()
    {
        var ending = Active.WithDisdetta(D("2024-06-01"), "x");

        ending.CheckActiveOn(D("2024-12-31"), "tier change");
        Assert.Throws<IllegalTransitionException>(() => ending.CheckActiveOn(D("2025-01-01"), "tier change"));
        Assert.Throws<IllegalTransitionException>(() => ending.CheckActiveOn(D("2024-01-31"), "tier change"));
        Assert.Throws<OutOfRangeException>(() => ending.CheckActiveOn(D("1999-12-31"), "tier change"));
    }

    [Fact]
    public void ScheduleFor_AServiceThatDoesNotRenew_HasOnlyItsCessation()
    {
        var ceasing = Active.WithCessation(D("2025-05-01"));

        Assert.Equal("Cessation 2025-05-01", Flat(ceasing.ScheduleFor(renews: false)!.DueIn(D("2024-01-01"), D("2030-01-01"))));
        Assert.Empty(Active.ScheduleFor(renews: false)!.DueIn(D("2024-01-01"), D("2030-01-01")));
        Assert.Null(ServiceLifecycle.Request("x", D("2024-01-01")).ScheduleFor(renews: true));
    }
}
