using Cst.Actors.Admin.Tui.Screens;
using Terminal.Gui.Input;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// The dialogs at 80x24 in Italian: Enter presses the focused button, typing replaces a field's value, messages read
/// left-aligned, field errors name the Italian label.
/// </summary>
public sealed partial class ItalianScreenTests
{
    [Fact]
    public async Task Quit_EnterOnTheFocusedNo_Stays_EnterOnSi_Quits()
    {
        await cluster.NewEnteAsync();
        var stayed = false;
        string? asked = null;
        var openAfterYes = false;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("Enti:")
            .Keys(Key.Q.WithCtrl).WaitFor(It.QuitQuestion)
            .Until("the question", () => (asked = harness.Screen).Length > 0)
            // The focus starts on No: Enter answers what the focused button says.
            .Keys(Key.Enter).WaitFor(It.EntiKeys)
            .Until("the console to stay", () => stayed = ReferenceEquals(harness.App.TopRunnableView, harness.Main))
            .Keys(Key.F10).WaitFor(It.QuitQuestion)
            // Tab to Sì: Enter quits, and the run returns before the next step could see the console again.
            .Keys(Key.Tab, Key.Enter)
            .Until("the console open again after Sì", () => openAfterYes = ReferenceEquals(harness.App.TopRunnableView, harness.Main));
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        Assert.True(stayed, "Enter on the focused No quit the console:\n" + asked);
        Assert.Contains(It.No, asked!, StringComparison.Ordinal);
        Assert.False(openAfterYes, "Tab to Sì and Enter did not quit");
    }
}
