using Cst.Actors.Admin.Tui;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Domain.Deadlines;
using NodaTime;

namespace Cst.Actors.Admin.Tests;

/// <summary>A deadline's short kind word for the ente screen's column, and its plain-language description for i.</summary>
public sealed class DeadlineTextsTests
{
    [Fact]
    public void KindShort_DateAndWord_FitTheEighteenColumnsOfNextDeadline_InBothLanguages()
    {
        foreach (var texts in new[] { Texts.Italian, Texts.English })
        {
            foreach (var kind in Enum.GetValues<DeadlineKind>())
            {
                var cell = $"{texts.Date(new LocalDate(2026, 12, 31))} {texts.KindShort(kind)}";
                Assert.True(cell.Length <= 18, $"{texts.Code} {kind}: '{cell}' is {cell.Length} columns");
            }
        }

        Assert.Equal("rinnovo", Texts.Italian.KindShort(DeadlineKind.Renewal));
        Assert.Equal("cessa", Texts.Italian.KindShort(DeadlineKind.Cessation));
        Assert.Equal("termine", Texts.Italian.KindShort(DeadlineKind.DisdettaDeadline));
    }

    [Fact]
    public void Describe_Cessation_OfAMailbox_NamesTheDisdetta()
    {
        var facts = new DeadlineFacts(DeadlineKind.Cessation, ChildKind.PecMailbox, "anagrafe@pec.comune.it", new LocalDate(2027, 1, 1),
            new LocalDate(2026, 11, 30), "PROT-9");

        Assert.Equal("La casella PEC anagrafe@pec.comune.it cessa il 01/01/2027 per la disdetta ricevuta il 30/11/2026 (PROT-9): da quel giorno non si fattura più.",
            Texts.Italian.Describe(facts));
        Assert.Equal("The PEC mailbox anagrafe@pec.comune.it ends on 2027-01-01 after the disdetta received on 2026-11-30 (PROT-9): from that day it is neither active nor billed.",
            Texts.English.Describe(facts));
    }

    [Fact]
    public void Describe_DisdettaDeadline_AndWarning_SayWhenItRenews()
    {
        var deadline = new DeadlineFacts(DeadlineKind.DisdettaDeadline, null, "028001/s.14/1", new LocalDate(2026, 12, 31));
        var warning = new DeadlineFacts(DeadlineKind.DisdettaWarning, null, "a@pec.it", new LocalDate(2026, 12, 1));

        Assert.Equal("Termine per la disdetta del servizio 028001/s.14/1: entro il 31/12/2026, altrimenti si rinnova per il 2027.", Texts.Italian.Describe(deadline));
        Assert.Equal("Si avvicina il termine per la disdetta della casella PEC a@pec.it: entro il 31/12/2026, altrimenti si rinnova per il 2027.", Texts.Italian.Describe(warning));
        Assert.Equal("Disdetta deadline of service 028001/s.14/1: by 2026-12-31, otherwise it renews for 2027.", Texts.English.Describe(deadline));
    }

    [Fact]
    public void Describe_DeviceWarning_GivesTheExpiryAndTheLastDayToRenew()
    {
        // Armed 30 days before the expiry of 20/01/2027: on 21/12/2026.
        var warning = new DeadlineFacts(DeadlineKind.ExpiryWarning30Days, null, "BK-1", new LocalDate(2026, 12, 21));

        Assert.Equal("I certificati del dispositivo di firma BK-1 scadono il 20/01/2027: rinnovarli entro il 19/01/2027.", Texts.Italian.Describe(warning));
        Assert.Equal("The certificates of firma device BK-1 expire on 2027-01-20: renew them by 2027-01-19.", Texts.English.Describe(warning));
    }
}
