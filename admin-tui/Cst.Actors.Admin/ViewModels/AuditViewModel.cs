using System.Collections.Immutable;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Admin;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>The audit log, newest first, optionally filtered by object or operator.</summary>
public sealed class AuditViewModel(AdminSession session)
{
    public const int Max = 2000;

    public string? Filter { get; private set; }

    public ImmutableList<AuditRow> Rows { get; private set; } = [];

    public async Task LoadAsync(string? filter = null)
    {
        var f = filter ?? Filter;
        Rows = await session.CallAsync("reading the audit log", () => session.Queries.AuditAsync(f, Max));
        Filter = f;
    }

    public ActionForm FilterForm() => new(
        "Filter the audit log",
        [new("Object or operator contains", Filter ?? string.Empty)],
        v => new PreparedAction(string.Empty, async () =>
        {
            await LoadAsync(Input.Optional(v[0]) ?? string.Empty);
            return $"{Rows.Count} audit row(s).";
        }));
}
