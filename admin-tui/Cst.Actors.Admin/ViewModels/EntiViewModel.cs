using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>
/// The enti list: the enti with population, active services and this year's estimate, one window (page) at a time, read
/// from the cluster's enti list by name; the search is the cluster's too (name, key or ISTAT code).
/// </summary>
public sealed class EntiViewModel(AdminSession session)
{
    /// <summary>Rows of one page of the console's list.</summary>
    public const int DefaultPageSize = 200;

    private int _loads;

    public int Year { get; private set; }

    /// <summary>The enti of the current page matching <see cref="Filter"/>.</summary>
    public IReadOnlyList<EnteSummary> Rows { get; private set; } = [];

    /// <summary>How many enti match <see cref="Filter"/> in all.</summary>
    public int Total { get; private set; }

    /// <summary>The index of the first row of the page among all matching.</summary>
    public int Offset { get; private set; }

    public int PageSize { get; set; } = DefaultPageSize;

    public string Filter { get; private set; } = string.Empty;

    /// <summary>Loads the page at <paramref name="offset"/> (default: the current one) with the current filter.</summary>
    public async Task LoadAsync(int? offset = null)
    {
        var load = Interlocked.Increment(ref _loads);
        var today = await session.TodayAsync();
        var filter = Filter;
        var from = Math.Max(0, offset ?? Offset);
        var page = await session.CallAsync("listing the enti",
            () => session.Queries.EnteSummariesAsync(today.Year, filter.Length == 0 ? null : filter, from, PageSize));
        if (load != Volatile.Read(ref _loads))
        {
            // A later load (the search typed on) answers for what is shown.
            return;
        }

        Year = today.Year;
        Rows = page.Rows;
        Total = page.Total;
        Offset = page.Offset;
    }

    /// <summary>Every matching ente from <paramref name="offset"/>, at most <paramref name="limit"/> (null: all), page by page.</summary>
    public async Task LoadAllAsync(int offset, int? limit)
    {
        var today = await session.TodayAsync();
        var filter = Filter.Length == 0 ? null : Filter;
        var rows = new List<EnteSummary>();
        var total = 0;
        while (limit is not { } l || rows.Count < l)
        {
            var window = Math.Min(IAdminQueryGrain.MaxWindow, limit is { } max ? max - rows.Count : IAdminQueryGrain.MaxWindow);
            var page = await session.CallAsync("listing the enti",
                () => session.Queries.EnteSummariesAsync(today.Year, filter, offset + rows.Count, window));
            rows.AddRange(page.Rows);
            total = page.Total;
            if (page.Rows.Count < window)
            {
                break;
            }
        }

        Year = today.Year;
        Rows = rows;
        Total = total;
        Offset = offset;
    }

    public bool HasNextPage => Offset + Rows.Count < Total;

    public bool HasPreviousPage => Offset > 0;

    public Task NextPageAsync() => HasNextPage ? LoadAsync(Offset + PageSize) : Task.CompletedTask;

    public Task PreviousPageAsync() => HasPreviousPage ? LoadAsync(Math.Max(0, Offset - PageSize)) : Task.CompletedTask;

    /// <summary>
    /// The enti whose name contains the text (case and accents ignored) or whose code starts with it; from the first
    /// page on the next load.
    /// </summary>
    public void SetFilter(string text)
    {
        var filter = text?.Trim() ?? string.Empty;
        if (filter != Filter)
        {
            Filter = filter;
            Offset = 0;
        }
    }

    public static string Fold(string text) =>
        new(text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Select(char.ToLowerInvariant).ToArray());

    /// <summary>
    /// Add ente: registration with adhesion date and listino, and optionally its population and its capofila, as one
    /// call (all or nothing). The ente's key follows from kind and codes; an existing key is refused by the grain
    /// ("use edit").
    /// </summary>
    public ActionForm AddEnteForm(NodaTime.LocalDate today) => new(
        "Add ente",
        [
            new("Name"), new("Kind", nameof(EnteKind.Comune)), new("ISTAT code"), new("Codice fiscale"),
            new("Adhered on", Input.Date(today)), new("Listino", ImportValidator.DefaultListino),
            new("Population at 1 January of year", today.Year.ToString(CultureInfo.InvariantCulture)),
            new("Inhabitants (optional)"), new("Capofila ente key (empty: itself)"),
        ],
        v =>
        {
            var name = Input.Required(v[0], "Name", Guard.MaxNameLength);
            var kind = Input.Choice<EnteKind>(v[1], "Kind");
            var istat = Input.Optional(v[2]);
            var cf = Input.Optional(v[3]);
            var key = EnteKey.Validate(kind, istat, cf);
            if (!key.Success)
            {
                throw InputException.Of(key.Error!);
            }

            var adhered = Input.Date(v[4], "Adhered on");
            var listino = Input.Required(v[5], "Listino");
            var population = Input.Optional(v[7]) is { } inhabitants
                ? ImmutableList.Create(new PopulationCount(Input.Year(v[6], "Population year"), Input.Integer(inhabitants, "Inhabitants", 0, Guard.MaxInhabitants)))
                : [];
            var capofila = Input.Optional(v[8]);
            var creation = new EnteCreation(new EnteRegistration(name, kind, istat, cf, adhered, listino, null, null, null), population, capofila);
            var extra = (population.Count > 0 ? $", population {population[0].Inhabitants} at 1 January {population[0].Year}" : string.Empty)
                + (capofila is null ? string.Empty : $", paid by {capofila}");
            return new PreparedAction(
                $"Register {kind} '{name}' as ente {key.Value}, adhered on {Input.Date(adhered)}, listino {listino}{extra}?",
                async () =>
                {
                    var view = await session.CallAsync("registering the ente",
                        () => session.Grains.GetGrain<IEnteGrain>(key.Value).CreateAsync(creation, session.Operator));
                    return $"Ente {view.EnteId} '{view.Registration.Name}' registered.";
                });
        });

    /// <summary>Edit ente: the form for the selected ente, read from the cluster first.</summary>
    public async Task<ActionForm> EditEnteFormAsync(string enteId)
    {
        var ente = await session.CallAsync($"reading ente {enteId}", () => session.Grains.GetGrain<IEnteGrain>(enteId).GetAsync());
        return EditForm(session, ente);
    }

    /// <summary>
    /// Edit ente: name, codice fiscale (of a Comune), adhesion and referente; the key, kind and listino stay. The
    /// confirmation lists each field that changes, <c>name 'X' → 'Y'</c>; the grain audits them.
    /// </summary>
    public static ActionForm EditForm(AdminSession session, EnteView ente)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(ente);
        var r = ente.Registration;
        var comune = r.Kind == EnteKind.Comune;
        return new ActionForm(
            $"Edit ente {ente.EnteId}",
            [
                new("Name", r.Name), new(comune ? "Codice fiscale" : "Codice fiscale (the key: fixed)", r.CodiceFiscale ?? string.Empty),
                new("Adhered on", Input.Date(r.AdheredOn)), new("Referente", r.ReferenteName ?? string.Empty),
                new("Referente PEC", r.ReferentePec ?? string.Empty), new("Referente e-mail", r.ReferenteEmail ?? string.Empty),
            ],
            v =>
            {
                var edited = r with
                {
                    Name = Input.Required(v[0], "Name", Guard.MaxNameLength),
                    CodiceFiscale = comune ? Input.Optional(v[1]) : r.CodiceFiscale,
                    AdheredOn = Input.Date(v[2], "Adhered on"),
                    ReferenteName = Input.Optional(v[3]),
                    ReferentePec = Input.Optional(v[4]),
                    ReferenteEmail = Input.Optional(v[5]),
                };
                if (!comune && Input.Optional(v[1]) != r.CodiceFiscale)
                {
                    throw new InputException($"the codice fiscale is the key of ente {ente.EnteId} and cannot change; add the other body as a new ente.") { RefusedByRule = true };
                }

                var changes = EnteChanges.Between(r, edited);
                if (changes.Count == 0)
                {
                    throw new InputException("Nothing changed.") { NothingToChange = true };
                }

                var what = EnteChanges.Describe(changes);
                return new PreparedAction($"Change ente {ente.EnteId}: {what}?", async () =>
                {
                    await session.CallAsync("editing the ente", () => session.Grains.GetGrain<IEnteGrain>(ente.EnteId).EditAsync(edited, session.Operator));
                    return $"Ente {ente.EnteId} changed: {what}.";
                });
            });
    }
}
