using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.Tui.Screens;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// The console's window: the current screen, a message line (results and plain errors), the screen's keys and the
/// global keys. F2-F7 change screen, F8 refreshes, Esc goes back (never quits), F10 quits.
/// </summary>
public sealed class MainWindow : Window
{
    public const string GlobalKeys = "F2 Enti F3 Deadlines F4 Billing F5 Notice F6 Audit F7 Catalog F8 Load F10 Quit";

    /// <summary>The message line while the cluster cannot be reached (a silo restarting): the console keeps trying.</summary>
    public const string Unreachable = "cluster not reachable, retrying...";

    /// <summary>The message line once the cluster answers again and the screen has been reloaded.</summary>
    public const string Reachable = "cluster reachable again; screen reloaded";

    private readonly View _body;
    private readonly Label _message;
    private readonly Label _help;
    private readonly Stack<Screen> _back = new();
    private readonly CancellationTokenSource _closing = new();
    private int _busy;
    private bool _watching;

    public MainWindow(IApplication app, AdminSession session)
    {
        Application = app;
        Session = session;
        Title = $"cst - {session.Operator}";
        BorderStyle = Terminal.Gui.Drawing.LineStyle.Single;
        _body = new View { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(3), CanFocus = true };
        _message = new Label { X = 0, Y = Pos.AnchorEnd(3), Width = Dim.Fill(), Text = string.Empty };
        _help = new Label { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Text = string.Empty };
        var keys = new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Text = GlobalKeys };
        Add(_body, _message, _help, keys);
        app.Keyboard.KeyDown += OnAppKeyDown;
        session.ClusterUnreachable += OnClusterUnreachable;
    }

    public IApplication Application { get; }

    public AdminSession Session { get; }

    public Screen? Current { get; private set; }

    /// <summary>The last message shown (result or error).</summary>
    public string Message => _message.Text;

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

        Current = screen;
        _body.Add(screen);
        _help.Text = screen.Help;
        screen.SetFocus();
        _ = DoAsync(screen.RefreshAsync);
    }

    public void Back()
    {
        if (_back.Count == 0 || Current is null)
        {
            return;
        }

        _body.Remove(Current);
        Current = _back.Pop();
        _body.Add(Current);
        _help.Text = Current.Help;
        Current.SetFocus();
        _ = DoAsync(Current.RefreshAsync);
    }

    public void Say(string text) => _message.Text = text.ReplaceLineEndings(" ");

    /// <summary>Runs work against the cluster, showing any failure as one plain line (never a stack trace).</summary>
    public async Task DoAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _busy++;
        try
        {
            await work();
        }
        catch (Exception e)
        {
            Say("Error: " + ErrorText.Of(e));
        }
        finally
        {
            _busy--;
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
        else if (key == Key.F8 && Current is not null)
        {
            _ = DoAsync(Current.RefreshAsync);
            key.Handled = true;
            return;
        }
        else if (key == Key.F10)
        {
            key.Handled = true;
            Application.RequestStop(this);
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
