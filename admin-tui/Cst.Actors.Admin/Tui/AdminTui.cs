using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.Tui.Screens;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;

namespace Cst.Actors.Admin.Tui;

/// <summary>The interactive console: the main window on the enti screen, until F10.</summary>
public static class AdminTui
{
    /// <summary>Whether stdin and stdout are a terminal; without one Terminal.Gui would hang silently.</summary>
    public static bool AttachedToTerminal()
    {
        Driver.IsAttachedToTerminal(out var input, out var output);
        return input && output;
    }

    public static int Run(AdminSession session)
    {
        using var app = Application.Create();
        app.Init();
        using var main = new MainWindow(app, session);
        main.Show(new EntiScreen(main));
        app.Run(main, e =>
        {
            // Never a stack trace on screen: one line, and the console goes on.
            main.Say("Error: " + ErrorText.Of(e));
            return true;
        });
        return 0;
    }
}
