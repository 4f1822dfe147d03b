using Cst.Actors.Domain.Lifecycle;
using static Cst.Actors.Domain.Tests.Deadlines.TestDates;

namespace Cst.Actors.Domain.Tests.Lifecycle;

/// <summary>DESIGN rule 14: facts that report what happened are not dated after today; planned changes may be.</summary>
public sealed class FactDatesTests
{
    private static readonly NodaTime.LocalDate Today = D("2026-11-30");

    [Theory]
    [InlineData(FactKind.DisdettaReceived, "a disdetta cannot be received on 2027-01-15, after today 2026-11-30")]
    [InlineData(FactKind.Consumption, "consumption cannot be recorded on 2027-01-15, after today 2026-11-30")]
    [InlineData(FactKind.Renewal, "it cannot be renewed on 2027-01-15, after today 2026-11-30")]
    [InlineData(FactKind.Revocation, "it cannot be revoked on 2027-01-15, after today 2026-11-30")]
    public void Check_ReportedFactAfterToday_IsRefusedNamingBothDates(FactKind kind, string message)
    {
        var error = Assert.Throws<FutureFactException>(() => FactDates.Check(kind, D("2027-01-15"), Today, "PEC mailbox a@pec.it"));

        Assert.Equal("PEC mailbox a@pec.it: " + message + "; a fact that happened is dated when it happened", error.Message);
        Assert.True(FactDates.IsReported(kind));
        Assert.False(FactDates.IsPlannedAhead(kind, D("2027-01-15"), Today));
    }

    [Theory]
    [InlineData(FactKind.DisdettaReceived)]
    [InlineData(FactKind.Consumption)]
    [InlineData(FactKind.Renewal)]
    [InlineData(FactKind.Revocation)]
    public void Check_ReportedFactTodayOrBefore_IsAccepted(FactKind kind)
    {
        Assert.Equal(Today, FactDates.Check(kind, Today, Today, "x"));
        Assert.Equal(D("2020-01-01"), FactDates.Check(kind, D("2020-01-01"), Today, "x"));
    }

    [Theory]
    [InlineData(FactKind.Activation)]
    [InlineData(FactKind.TierChange)]
    [InlineData(FactKind.QuantityChange)]
    [InlineData(FactKind.Cessation)]
    [InlineData(FactKind.Withdrawal)]
    public void Check_PlannedChangeAfterToday_IsAcceptedAndShownAsPlanned(FactKind kind)
    {
        Assert.Equal(D("2027-01-15"), FactDates.Check(kind, D("2027-01-15"), Today, "x"));
        Assert.False(FactDates.IsReported(kind));
        Assert.True(FactDates.IsPlannedAhead(kind, D("2027-01-15"), Today));
        Assert.False(FactDates.IsPlannedAhead(kind, Today, Today));
    }
}
