using System.Collections.Immutable;
using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Grains.Infrastructure;
using NodaTime.Text;

namespace Cst.Actors.Grains;

/// <summary>
/// One listino and its versions (key: the listino id). The rows of sql/schema/0006 are its state: read on activation,
/// written by this activation only. The rules (draft, adoption, what may change) are the domain's
/// <see cref="ListinoBook"/>; this grain reads, asks, and writes the versions with the audit row of the operator's action
/// in one transaction, so a failed audit insert leaves nothing to retry half-way.
/// </summary>
[GrainType("listino")]
public sealed class ListinoGrain(GrainServices services, IListinoStore store) : Grain, IListinoGrain
{
    private ListinoBook? _book;

    private string ListinoId => this.GetPrimaryKeyString();

    private ListinoBook Book => _book ?? throw new UnknownListinoException(ListinoId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _book = await store.ReadAsync(ListinoId);
        await base.OnActivateAsync(cancellationToken);
    }

    public Task<ListinoSummary> GetSummaryAsync() =>
        Task.FromResult(new ListinoSummary(Book.Id, Book.Name, [.. Book.Versions
            .OrderBy(v => v.Version.EffectiveFrom).ThenBy(v => v.Id, StringComparer.Ordinal)
            .Select(v => new ListinoVersionInfo(v.Id, v.Version.EffectiveFrom, v.Act, v.Status, v.SourceFile, v.LoadedBy,
                v.LoadedAt, v.AdoptedByOperator, v.AdoptedAt, v.Version.Services.Length))]));

    public Task<Listino> GetInForceAsync() => Task.FromResult(Book.InForce());

    public Task<ListinoVersion> GetVersionAsync(string version) =>
        Task.FromResult(Book.Get(version).Version with { AdoptedBy = Book.Get(version).Act });

    public Task<Listino> GetWithAdoptedAsync(string version) => Task.FromResult(Book.WithAdopted(version));

    public Task<ImmutableList<TariffChange>> DiffAsync(string from, string to) =>
        Task.FromResult(ListinoDiff.Compare(Book.Get(from).Version, Book.Get(to).Version));

    public async Task<ImmutableList<ListinoLoadResult>> LoadAsync(string fileName, string text, string act, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        var now = services.Clock.GetCurrentInstant();
        var current = _book ?? ListinoBook.Empty(ListinoId);
        var used = await store.UsedByFinalRunsAsync(ListinoId);
        var (book, outcomes) = current.Load(fileName, text, act, op, now, used.Contains);
        var changed = outcomes.Where(o => o.Outcome != ListinoLoadOutcome.Unchanged).Select(o => o.Version).ToList();
        if (changed.Count > 0)
        {
            await store.SaveAsync(book, changed, op, now, new AuditEntry(op, now, $"listino/{ListinoId}", "listino.load", null,
                $"{fileName}: " + string.Join(", ", outcomes.Select(o => $"{o.Version} {o.Outcome.ToString().ToLowerInvariant()}"))
                + $"; act {act.Trim()}"));
            _book = book;
        }

        return [.. outcomes.Select(o => new ListinoLoadResult(ListinoId, o.Version, o.Outcome))];
    }

    public async Task<bool> AdoptAsync(string version, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        var now = services.Clock.GetCurrentInstant();
        var (book, changed) = Book.Adopt(version, op, now);
        if (changed)
        {
            await store.SaveAsync(book, [version], op, now, new AuditEntry(op, now, $"listino/{ListinoId}", "listino.adopt", "draft",
                $"{version} adopted, in force from {LocalDatePattern.Iso.Format(book.Get(version).Version.EffectiveFrom)}; act {book.Get(version).Act}"));
            _book = book;
        }

        return changed;
    }
}
