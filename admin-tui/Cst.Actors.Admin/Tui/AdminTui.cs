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

    /// <summary>
    /// Whether to draw without colours: <c>NO_COLOR</c> set (https://no-color.org) or a terminal known to have none;
    /// the selection is then shown in reverse video.
    /// </summary>
    public static bool Monochrome(string? noColor, string? term) =>
        !string.IsNullOrEmpty(noColor) || term is "dumb" or "vt100" or "vt102" or "vt220" or "vt52";

    public static int Run(AdminSession session, Texts texts)
    {
        using var app = Application.Create();
        app.Init();
        using var main = new MainWindow(app, session, texts,
            Monochrome(Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("TERM")));
        main.Show(new EntiScreen(main));
        app.Run(main, e =>
        {
            // Never a stack trace on screen: one line, and the console goes on.
            main.Say(texts.ErrorPrefix + ErrorText.Of(e, texts));
            return true;
        });
        return 0;
    }
}
