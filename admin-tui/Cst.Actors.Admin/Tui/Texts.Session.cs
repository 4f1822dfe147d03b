namespace Cst.Actors.Admin.Tui;

/// <summary>The session's messages, the busy mark, the billing failures and the payer line.</summary>
public sealed partial class Texts
{
    /// <summary>After the outbox's title while it is filtered: the status (in words) and the ente.</summary>
    public required Func<string?, string?, string> OutboxFiltered { get; init; }

    /// <summary>The help line of the key that shows a table's selected row whole.</summary>
    public required string RowKey { get; init; }

    /// <summary>After the window's title while a call to the cluster is under way.</summary>
    public required string Busy { get; init; }

    /// <summary>The title of F9's list of the session's messages.</summary>
    public required string LastMessages { get; init; }

    /// <summary>The billing screen's title over the enti a run could not bill.</summary>
    public required Func<int, string> FailedEnti { get; init; }

    /// <summary>After the totals when some enti were not billed: how many, and the key that lists them.</summary>
    public required Func<int, string> FailedHint { get; init; }

    public required string ColWhy { get; init; }

    // The payer, year by year, as PayerHistory.Describe words it in English.
    public required string PaysItself { get; init; }
    public required string Itself { get; init; }
    public required string PayerWord { get; init; }
    public required Func<string, int, string> PayerFrom { get; init; }

    /// <summary>Who pays for the ente, year by year, in this language.</summary>
    public string Payers(IReadOnlyList<Contracts.Enti.PayerChange> history, int adheredYear)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            return PaysItself;
        }

        var parts = new List<string>();
        if (history[0].FromYear > adheredYear)
        {
            parts.Add(Itself);
        }

        foreach (var change in history)
        {
            var who = change.CapofilaId ?? Itself;
            parts.Add(change.FromYear <= adheredYear ? who : PayerFrom(who, change.FromYear));
        }

        return PayerWord + " " + string.Join(", ", parts);
    }
}
