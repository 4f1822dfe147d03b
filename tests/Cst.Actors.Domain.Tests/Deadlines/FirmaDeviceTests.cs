using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Validation;
using static Cst.Actors.Domain.Tests.Deadlines.TestDates;

namespace Cst.Actors.Domain.Tests.Deadlines;

public sealed class FirmaDeviceTests
{
    [Theory]
    [InlineData("2023-03-01", "2026-03-01")]
    // No 29 February in 2027: the third anniversary is the last day of February.
    [InlineData("2024-02-29", "2027-02-28")]
    [InlineData("2028-02-29", "2031-02-28")]
    // 28 February stays 28 February, even when the expiry year is a leap year.
    [InlineData("2025-02-28", "2028-02-28")]
    [InlineData("2025-12-31", "2028-12-31")]
    [InlineData("2025-01-01", "2028-01-01")]
    public void ExpiresOn_Anchor_IsThirdAnniversary(string anchor, string expiry)
    {
        Assert.Equal(D(expiry), FirmaCertificateRule.ExpiresOn(D(anchor)));
        Assert.Equal(D(expiry), new FirmaDevice("BK-1", FirmaDeviceKind.BusinessKey, D(anchor)).ExpiresOn);
    }

    [Fact]
    public void DueIn_IssuedOnFebruary29_2024_WarnsAt90_30_7DaysAndExpiresOnFebruary28()
    {
        // Expiry 2027-02-28. 90 days back: 28 to 2027-01-31, 31 more to 2026-12-31 (59), 31 more to 2026-11-30 (90).
        // 30 days back: 28 to 2027-01-31, 2 more to 2027-01-29. 7 days back: 2027-02-21. Day before: 2027-02-27.
        var device = new FirmaDevice("BK-0229", FirmaDeviceKind.BusinessKey, D("2024-02-29"));

        Assert.Equal(
            "ExpiryWarning90Days 2026-11-30|ExpiryWarning30Days 2027-01-29|ExpiryWarning7Days 2027-02-21"
            + "|LastRenewalDay 2027-02-27|Expiry 2027-02-28",
            Flat(device.DueIn(D("2024-02-29"), D("2030-12-31"))));
        Assert.Equal(D("2027-02-27"), device.LastRenewalDay);
    }

    [Theory]
    // Issued 2023-03-01, expiry 2026-03-01. Back from 1 March 2026: 28 days (February) to 2026-02-01,
    // 31 more to 2026-01-01 (59), 31 more to 2025-12-01 (90); 30 days back is 2026-01-30; 7 days back 2026-02-22.
    [InlineData("2025-11-30", "")]
    [InlineData("2025-12-01", "ExpiryWarning90Days 2025-12-01")]
    [InlineData("2025-12-02", "")]
    [InlineData("2026-01-29", "")]
    [InlineData("2026-01-30", "ExpiryWarning30Days 2026-01-30")]
    [InlineData("2026-01-31", "")]
    [InlineData("2026-02-21", "")]
    [InlineData("2026-02-22", "ExpiryWarning7Days 2026-02-22")]
    [InlineData("2026-02-23", "")]
    [InlineData("2026-02-28", "LastRenewalDay 2026-02-28")]
    [InlineData("2026-03-01", "Expiry 2026-03-01")]
    [InlineData("2026-03-02", "")]
    public void DueIn_SingleDay_HasWarningOnlyAtExactly90_30_7Days(string day, string expected)
    {
        var device = new FirmaDevice("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"));

        Assert.Equal(expected, Flat(device.DueIn(D(day).PlusDays(-1), D(day))));
    }

    [Theory]
    [InlineData("2023-03-01", true)]  // the issue day itself
    [InlineData("2025-12-01", true)]
    [InlineData("2026-02-28", true)]  // the day before expiry: the last day allowed
    [InlineData("2026-03-01", false)] // the expiry day: expired
    [InlineData("2026-04-10", false)]
    [InlineData("2023-02-28", false)] // before the certificates existed
    public void CanRenewOn_Day_AllowedUpToTheDayBeforeExpiry(string day, bool allowed)
    {
        var device = new FirmaDevice("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"));

        Assert.Equal(allowed, device.CanRenewOn(D(day)));
        Assert.Equal(allowed, FirmaCertificateRule.IsRenewalAllowed(D("2023-03-01"), D(day)));
        Assert.Equal(allowed, device.TryRenew(D(day)).Success);
    }

    [Fact]
    public void Renew_DayBeforeExpiry_GivesThreeYearsFromRenewal()
    {
        var device = new FirmaDevice("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"));

        var renewed = device.Renew(D("2026-02-28"));

        Assert.Equal(D("2026-02-28"), renewed.ValidFrom);
        Assert.Equal(D("2029-02-28"), renewed.ExpiresOn);
        Assert.Equal(D("2023-03-01"), renewed.IssuedOn);
        Assert.Equal([D("2026-02-28")], renewed.RenewedOn);
        Assert.Equal(D("2026-03-01"), device.ExpiresOn); // the original value is unchanged
    }

    [Fact]
    public void Renew_OnExpiryDay_ThrowsNamingSerialAndDates()
    {
        var device = new FirmaDevice("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"));

        var error = Assert.Throws<RenewalNotAllowedException>(() => device.Renew(D("2026-03-01")));

        Assert.Equal(
            "device BK-123 expired on 2026-03-01; a renewal on 2026-03-01 is no longer allowed (a new device is needed)",
            error.Message);
        Assert.Equal("BK-123", error.Serial);
        Assert.Equal(D("2026-03-01"), error.RequestedOn);
        Assert.Equal(D("2023-03-01"), error.ValidFrom);
        Assert.Equal(D("2026-03-01"), error.ExpiresOn);
        Assert.IsAssignableFrom<DomainException>(error);
    }

    [Fact]
    public void TryRenew_AfterExpiry_ReturnsErrorWithoutThrowing()
    {
        var device = new FirmaDevice("FR-9", FirmaDeviceKind.FirmaRemota, D("2023-03-01"));

        var result = device.TryRenew(D("2026-04-10"));

        Assert.False(result.Success);
        Assert.Equal(
            "device FR-9 expired on 2026-03-01; a renewal on 2026-04-10 is no longer allowed (a new device is needed)",
            result.ErrorMessage);
    }

    [Fact]
    public void Renew_BeforeLastRenewal_ThrowsSayingItCannotPrecedeIt()
    {
        var device = new FirmaDevice("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"), [D("2026-02-01")]);

        var error = Assert.Throws<RenewalNotAllowedException>(() => device.Renew(D("2026-01-15")));

        Assert.Equal("device BK-123 was last renewed on 2026-02-01; a renewal on 2026-01-15 cannot precede it", error.Message);
    }

    [Fact]
    public void Constructor_RenewalAfterExpiry_Throws()
    {
        var error = Assert.Throws<RenewalNotAllowedException>(() =>
            new FirmaDevice("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"), [D("2026-03-01")]));

        Assert.StartsWith("device BK-123 expired on 2026-03-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DueIn_RenewedOnLastDay_DropsOldPeriodFromRenewalAndAddsNewOne()
    {
        // First period: warnings 2025-12-01, 2026-01-30, 2026-02-22 happened; the last renewal day and the expiry
        // (2026-02-28, 2026-03-01) fall on or after the renewal and are moot. New period from 2026-02-28 expires
        // 2029-02-28: 90 days back is 2028-11-30 (28 + 31 + 31), 30 days back 2029-01-29, 7 days back 2029-02-21.
        var device = new FirmaDevice("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"), [D("2026-02-28")]);

        Assert.Equal(
            "ExpiryWarning90Days 2025-12-01|ExpiryWarning30Days 2026-01-30|ExpiryWarning7Days 2026-02-22"
            + "|ExpiryWarning90Days 2028-11-30|ExpiryWarning30Days 2029-01-29|ExpiryWarning7Days 2029-02-21"
            + "|LastRenewalDay 2029-02-27|Expiry 2029-02-28",
            Flat(device.DueIn(D("2023-03-01"), D("2035-01-01"))));
    }

    [Theory]
    [InlineData("2025-06-01",
        "ExpiryWarning90Days 2025-12-01|ExpiryWarning30Days 2026-01-30|ExpiryWarning7Days 2026-02-22"
        + "|LastRenewalDay 2026-02-28|Expiry 2026-03-01")]
    [InlineData("2026-02-01", "ExpiryWarning7Days 2026-02-22|LastRenewalDay 2026-02-28|Expiry 2026-03-01")]
    [InlineData("2026-03-01", "Expiry 2026-03-01")]
    [InlineData("2026-03-02", "")]
    public void Upcoming_Today_ListsRemainingDeadlinesThenNothing(string today, string expected)
    {
        var device = new FirmaDevice("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"));

        Assert.Equal(expected, Flat(device.Upcoming(D(today))));
    }

    [Theory]
    [InlineData("2026-02-28", true, false)]
    [InlineData("2026-03-01", false, true)]
    [InlineData("2023-02-28", false, false)]
    public void IsValidOn_Day_ValidUntilTheDayBeforeExpiry(string day, bool valid, bool expired)
    {
        var device = new FirmaDevice("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"));

        Assert.Equal(valid, device.IsValidOn(D(day)));
        Assert.Equal(expired, device.IsExpiredOn(D(day)));
    }

    [Fact]
    public void DueIn_FirmaRemota_SameRuleAndDescriptionsNameTheDevice()
    {
        var device = new FirmaDevice("FR-9", FirmaDeviceKind.FirmaRemota, D("2024-02-29"));

        var deadlines = device.DueIn(D("2026-11-29"), D("2027-02-28"));

        Assert.Equal(
            [
                "firma remota FR-9: certificates expire on 2027-02-28, in 90 days; renew by 2027-02-27",
                "firma remota FR-9: certificates expire on 2027-02-28, in 30 days; renew by 2027-02-27",
                "firma remota FR-9: certificates expire on 2027-02-28, in 7 days; renew by 2027-02-27",
                "firma remota FR-9: last day to renew; the certificates expire tomorrow, 2027-02-28",
                "firma remota FR-9: certificates expired on 2027-02-28; the device can no longer be renewed, a new one is needed",
            ],
            deadlines.Select(d => d.Description));
        Assert.All(deadlines, d => Assert.Equal("firma remota FR-9", d.Subject));
    }

    [Fact]
    public void Constructor_ImplausibleIssueDate_ThrowsOutOfRange()
    {
        Assert.Throws<OutOfRangeException>(() => new FirmaDevice("BK-1", FirmaDeviceKind.BusinessKey, D("1999-12-31")));
    }
}
