using System.Collections.Immutable;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Admin;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>The latest notices produced by deadlines, newest due date first.</summary>
public sealed class NoticesViewModel(AdminSession session)
{
    public const int Max = 2000;

    public ImmutableList<NoticeRow> Rows { get; private set; } = [];

    public async Task LoadAsync() =>
        Rows = await session.CallAsync("reading the notices", () => session.Queries.NoticesAsync(null, Max));
}
