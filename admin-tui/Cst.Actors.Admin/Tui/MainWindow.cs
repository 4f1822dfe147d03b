using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.Tui.Screens;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// The console's window: the current screen, a message line (results and plain errors), the screen's keys and the
/// global keys, in the language of <see cref="Texts"/>. F1 or ? shows the screen's keys, F2-F7 and F12 change screen, F8
/// reloads, Esc goes back (never quits), F10 or Ctrl-Q quits after a confirmation (GNOME Terminal takes F10).
/// </summary>
public sealed class MainWindow : Window
{

    private readonly View _body;
    private readonly Label _message;
    private readonly Label _help;
    private readonly Stack<Screen> _back = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly List<(NodaTime.Instant At, string Text)> _history = [];
    private readonly string _title;
    private int _busy;
    private bool _watching;

    public MainWindow(IApplication app, AdminSession session, Texts? texts = null, bool monochrome = false)
    {
        Application = app;
        Session = session;
        Texts = texts ?? Texts.Italian;
        Monochrome = monochrome;
        _title = $"cst - {session.Operator}";
        Title = _title;
        BorderStyle = Terminal.Gui.Drawing.LineStyle.Single;
        _body = new View { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(2 + MessageLines), CanFocus = true };
        // Two lines: a refusal naming a long mailbox address is read whole, wrapped at words.
        _message = new Label { X = 0, Y = Pos.AnchorEnd(2 + MessageLines), Width = Dim.Fill(), Height = MessageLines, Text = string.Empty };
        _help = new Label { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Text = string.Empty };
        var keys = new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Text = Texts.GlobalKeys };
        Add(_body, _message, _help, keys);
        app.Keyboard.KeyDown += OnAppKeyDown;
        app.Iteration += (_, _) => StartPendingRefresh();
        session.ClusterUnreachable += OnClusterUnreachable;
    }

    /// <summary>A screen shown before the application's loop runs: its first load waits for the loop.</summary>
    private Screen? _pendingRefresh;

    /// <summary>
    /// Loads the screen shown before the loop from the loop's first iteration, where awaits resume on the UI thread.
    /// Started from the thread that called Show before the loop, the load's continuations ran on the thread pool and
    /// raced the UI's layout: a title left at the width of its first text, a busy mark never cleared.
    /// </summary>
    private void StartPendingRefresh()
    {
        if (_pendingRefresh is { } screen)
        {
            _pendingRefresh = null;
            if (ReferenceEquals(screen, Current))
            {
                _ = DoAsync(screen.RefreshAsync);
            }
        }
    }

    public IApplication Application { get; }

    public AdminSession Session { get; }

    public Screen? Current { get; private set; }

    /// <summary>The language of every text the console shows.</summary>
    public Texts Texts { get; }

    /// <summary>No colours (NO_COLOR, a monochrome terminal): the selection is drawn in reverse video.</summary>
    public bool Monochrome { get; }

    /// <summary>The message line while the cluster cannot be reached (a silo restarting): the console keeps trying.</summary>
    public string Unreachable => Texts.Unreachable;

    /// <summary>The message line once the cluster answers again and the screen has been reloaded.</summary>
    public string Reachable => Texts.Reachable;

    /// <summary>The last message shown (result or error).</summary>
    public string Message { get; private set; } = string.Empty;

    /// <summary>Lines of the message area.</summary>
    public const int MessageLines = 2;

    /// <summary>Shows a screen; <paramref name="push"/> keeps the current one for Esc.</summary>
    public void Show(Screen screen, bool push = false)
    {
        if (Current is not null)
        {
            if (push)
            {
                _back.Push(Current);
            }
            else
            {
                _back.Clear();
            }

            _body.Remove(Current);
        }

        if (Monochrome)
        {
            Screen.UseMonochrome(screen);
        }

        Current = screen;
        // A message about the previous screen would read as one about this one.
        Say(string.Empty);
        _body.Add(screen);
        _help.Text = screen.Help;
        screen.SetFocus();
        if (Application.TopRunnableView is null)
        {
            // Not on the UI's loop yet (the first screen, before app.Run).
            _pendingRefresh = screen;
            return;
        }

        _ = DoAsync(screen.RefreshAsync);
    }

    public void Back()
    {
        if (_back.Count == 0 || Current is null)
        {
            return;
        }

        _body.Remove(Current);
        Say(string.Empty);
        Current = _back.Pop();
        _body.Add(Current);
        _help.Text = Current.Help;
        Current.SetFocus();
        _ = DoAsync(Current.RefreshAsync);
    }

    public void Say(string text)
    {
        Message = text.ReplaceLineEndings(" ");
        if (Message.Length > 0)
        {
            _history.Add((NodaTime.SystemClock.Instance.GetCurrentInstant(), Message));
            if (_history.Count > HistoryLength)
            {
                _history.RemoveAt(0);
            }
        }

        var width = Viewport.Width > 0 ? Viewport.Width : 78;
        var lines = Wrap(Message, width);
        if (lines.Count > MessageLines)
        {
            // Longer than the area: its start, and where to read the rest.
            lines = [.. lines.Take(MessageLines - 1), Wrap(string.Join(" ", lines.Skip(MessageLines - 1)), width - Texts.MoreKey.Length - 1)[0] + " " + Texts.MoreKey];
        }

        _message.Text = string.Join("\n", lines);
    }

    /// <summary>How many of the session's messages F9 keeps.</summary>
    public const int HistoryLength = 20;

    /// <summary>The session's messages, newest first, each with its time in Rome (F9 lists them under the last one).</summary>
    public IReadOnlyList<string> LastMessages =>
        [.. Enumerable.Reverse(_history).Select(m => m.At.InZone(Texts.Rome).TimeOfDay.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " " + m.Text)];

    /// <summary>
    /// F9: the last message whole, then the session's earlier ones with their times, as many as fit the screen; the
    /// message line clears on a screen change, this list keeps them.
    /// </summary>
    public IReadOnlyList<string> MessageLog(int width, int height)
    {
        var lines = new List<string>();
        if (Message.Length > 0)
        {
            lines.AddRange(Wrap(Message, width));
            lines.Add(string.Empty);
        }

        var earlier = LastMessages.Skip(Message.Length > 0 && _history.Count > 0 ? 1 : 0).ToList();
        if (earlier.Count == 0)
        {
            return [.. lines.Where(l => l.Length > 0)];
        }

        lines.Add(Texts.LastMessages + ":");
        foreach (var line in earlier.SelectMany(m => Wrap(m, width)))
        {
            if (lines.Count >= height)
            {
                break;
            }

            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Breaks a text into lines of at most <paramref name="width"/> columns, at spaces where it can.</summary>
    public static IReadOnlyList<string> Wrap(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        width = Math.Max(10, width);
        var lines = new List<string>();
        var rest = text.Trim();
        while (rest.Length > width)
        {
            var cut = rest.LastIndexOf(' ', width);
            if (cut <= 0)
            {
                cut = width;
            }

            lines.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        lines.Add(rest);
        return lines;
    }

    /// <summary>Runs work against the cluster, showing any failure as one plain line (never a stack trace).</summary>
    public async Task DoAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        // The mark in the window's title while the cluster works: a slow answer is not a frozen console.
        _busy++;
        MarkBusy();

        try
        {
            await work();
        }
        catch (Exception e)
        {
            Say(Texts.ErrorPrefix + ErrorText.Of(e, Texts));
        }
        finally
        {
            _busy--;
            MarkBusy();
        }
    }

    /// <summary>
    /// While a dialog waits for the operator, the main window's title drops the busy mark (the dialog often runs
    /// inside the work that will call the cluster once it is answered): the console is waiting for the operator.
    /// </summary>
    public static IDisposable Asking(IApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.TopRunnableView is not MainWindow main)
        {
            return new Restore(null);
        }

        main._asking++;
        main.Title = main._title;
        return new Restore(main);
    }

    private int _asking;

    private void MarkBusy() => Title = _busy > 0 && _asking == 0 ? $"{_title} - {Texts.Busy}" : _title;

    private sealed class Restore(MainWindow? main) : IDisposable
    {
        private MainWindow? _main = main;

        public void Dispose()
        {
            if (_main is { } main)
            {
                main._asking--;
                main.MarkBusy();
                _main = null;
            }
        }
    }

    /// <summary>Whether work against the cluster is under way.</summary>
    public bool Busy => _busy > 0;

    private void OnClusterUnreachable() =>
        Application.Invoke(() =>
        {
            if (!_closing.IsCancellationRequested)
            {
                Say(Unreachable);
                _ = WatchUntilReachableAsync();
            }
        });

    /// <summary>Once the cluster answers again, reloads the current screen; one watch at a time, until F10.</summary>
    private async Task WatchUntilReachableAsync()
    {
        if (_watching)
        {
            return;
        }

        _watching = true;
        try
        {
            await Session.WaitUntilReachableAsync(_closing.Token);
            if (Current is not null)
            {
                await DoAsync(Current.RefreshAsync);
            }

            if (Message == Unreachable)
            {
                Say(Reachable);
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // Quitting while the cluster is away.
        }
        finally
        {
            _watching = false;
        }
    }

    private void OnAppKeyDown(object? sender, Key key)
    {
        // Only while no dialog is open above the main window.
        if (!ReferenceEquals(Application.TopRunnableView, this))
        {
            return;
        }

        Screen? next = null;
        if (key == Key.F2)
        {
            next = new EntiScreen(this);
        }
        else if (key == Key.F3)
        {
            next = new DeadlinesScreen(this);
        }
        else if (key == Key.F4)
        {
            next = new BillingScreen(this);
        }
        else if (key == Key.F5)
        {
            next = new NoticesScreen(this);
        }
        else if (key == Key.F6)
        {
            next = new AuditScreen(this);
        }
        else if (key == Key.F7)
        {
            next = new CatalogueScreen(this);
        }
        else if (key == Key.F12)
        {
            next = new OutboxScreen(this);
        }
        else if (key == Key.F8 && Current is not null)
        {
            key.Handled = true;
            _ = ReloadAsync(Current);
            return;
        }
        else if (key == Key.F1 || (key.AsRune.Value == '?' && Application.Navigation?.GetFocused() is not TextField))
        {
            key.Handled = true;
            ShowHelp();
            return;
        }
        else if (key == Key.F9 && _history.Count > 0)
        {
            key.Handled = true;
            Question.Show(Application, Texts.MessageTitle, MessageLog(Question.TextWidth, 15), Texts.Close);
            return;
        }
        else if (key == Key.F10 || key == Key.Q.WithCtrl)
        {
            key.Handled = true;
            // The focus on No: Enter alone keeps the console open (Enter presses the focused button).
            if (Question.Ask(Application, Texts.QuitTitle, Texts.QuitQuestion, 0, Texts.No, Texts.Yes) == 1)
            {
                Application.RequestStop(this);
            }

            return;
        }
        else if (key == Key.Esc)
        {
            // Esc never quits the console by accident: it goes back, or does nothing.
            key.Handled = true;
            Back();
            return;
        }
        else if (Current is not null && Current.OnScreenKey(key))
        {
            key.Handled = true;
            return;
        }

        if (next is not null)
        {
            key.Handled = true;
            Show(next);
        }
    }

    /// <summary>The current screen's keys in full, then the global ones.</summary>
    public IReadOnlyList<string> HelpLines => [.. Current?.HelpLines ?? [], string.Empty, .. Texts.GlobalHelp];

    private void ShowHelp() =>
        Question.Show(Application, Texts.HelpTitle(Current?.Name ?? "cst"), HelpLines, Texts.Close);

    /// <summary>F8: reloads the screen and says what and when, so the operator sees it happened.</summary>
    private async Task ReloadAsync(Screen screen)
    {
        var failed = false;
        await DoAsync(async () =>
        {
            try
            {
                await screen.RefreshAsync();
            }
            catch
            {
                failed = true;
                throw;
            }
        });
        if (!failed && ReferenceEquals(screen, Current))
        {
            var at = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(Texts.Rome).TimeOfDay;
            Say(Texts.Reloaded(screen.Name, at.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Application.Keyboard.KeyDown -= OnAppKeyDown;
            Session.ClusterUnreachable -= OnClusterUnreachable;
            _closing.Cancel();
            _closing.Dispose();
        }

        base.Dispose(disposing);
    }
}
