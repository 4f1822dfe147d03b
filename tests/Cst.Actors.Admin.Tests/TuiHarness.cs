using System.Diagnostics;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.Tui;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// Runs the console's main window headless at 80x24 (ANSI driver without terminal IO) through the real
/// <c>Run</c>, feeding a script from the application's iteration event: each step injects keys, or waits (bounded)
/// until the screen or the cluster shows what was expected. Nested dialogs run their own loops and the script goes on
/// inside them.
/// </summary>
public sealed class TuiHarness
{
    private static readonly TimeSpan StepBound = TimeSpan.FromSeconds(20);
    private readonly List<(string Name, Func<bool> Step)> _steps = [];

    static TuiHarness() => Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");

    public IApplication App { get; private set; } = null!;

    public MainWindow Main { get; private set; } = null!;

    public string Screen => App.Driver?.ToString() ?? string.Empty;

    /// <summary>The console's language for this run; every test names the one its expected texts are in.</summary>
    public Texts Language { get; init; } = Texts.English;

    /// <summary>Draw as on a terminal without colours (NO_COLOR, vt100).</summary>
    public bool Monochrome { get; init; }

    /// <summary>Injects keys (one step).</summary>
    public TuiHarness Keys(params Key[] keys)
    {
        _steps.Add(($"keys {string.Join(" ", keys.Select(k => k.ToString()))}", () =>
        {
            foreach (var key in keys)
            {
                App.InjectKey(key);
            }

            return true;
        }));
        return this;
    }

    /// <summary>Types text, one key per character.</summary>
    public TuiHarness Type(string text) => Keys([.. text.Select(c => new Key(c))]);

    /// <summary>Waits until the screen shows <paramref name="text"/> and no call to the cluster is under way.</summary>
    public TuiHarness WaitFor(string text) =>
        Until($"the screen to show '{text}'", () => (!Main.Busy || !ReferenceEquals(App.TopRunnableView, Main)) && Screen.Contains(text, StringComparison.Ordinal));

    public TuiHarness Until(string expected, Func<bool> condition)
    {
        _steps.Add((expected, condition));
        return this;
    }

    /// <summary>Runs the script on a fresh application and main window; fails naming the step that did not come.</summary>
    public string Run(AdminSession session, Action<MainWindow>? start = null)
    {
        using var app = Application.Create();
        App = app;
        app.Init();
        app.Driver!.SetScreenSize(80, 24);
        using var main = new MainWindow(app, session, Language, Monochrome);
        Main = main;
        var index = 0;
        var stepStarted = Stopwatch.StartNew();
        string? failure = null;
        app.Iteration += (_, _) =>
        {
            if (failure is not null)
            {
                // Stops whatever is on top (a dialog, then the main window).
                app.RequestStop();
                return;
            }

            if (index >= _steps.Count)
            {
                app.RequestStop();
                return;
            }

            var (name, step) = _steps[index];
            // The index moves before the step runs: a key may open a dialog whose own loop raises this event again,
            // and the script goes on inside it. Only waits (which open nothing) step back.
            index++;
            var done = step();
            if (!done)
            {
                index--;
            }

            if (done)
            {
                stepStarted.Restart();
            }
            else if (stepStarted.Elapsed > StepBound)
            {
                failure = $"expected {name} within {StepBound.TotalSeconds} s; message line: '{main.Message}'; screen:\n{Screen}";
                app.RequestStop();
            }
        };
        if (start is not null)
        {
            start(main);
        }

        app.Run(main, e =>
        {
            failure ??= "unhandled exception in the UI: " + e;
            return true;
        });
        var screen = Screen;
        if (failure is not null)
        {
            Assert.Fail(failure);
        }

        return screen;
    }
}
