using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Domain.Enti;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>The enti list: every ente with population, active services and this year's estimate; filtered locally.</summary>
public sealed class EntiViewModel(AdminSession session)
{
    private ImmutableList<EnteSummary> _all = [];

    public int Year { get; private set; }

    /// <summary>The enti shown: those matching <see cref="Filter"/>.</summary>
    public IReadOnlyList<EnteSummary> Rows { get; private set; } = [];

    public string Filter { get; private set; } = string.Empty;

    public async Task LoadAsync()
    {
        var today = await session.TodayAsync();
        Year = today.Year;
        _all = await session.CallAsync("listing the enti", () => session.Queries.EnteSummariesAsync(Year));
        Apply();
    }

    /// <summary>Keeps the enti whose name contains the text (case and accents ignored) or whose code starts with it.</summary>
    public void SetFilter(string text)
    {
        Filter = text?.Trim() ?? string.Empty;
        Apply();
    }

    public static string Fold(string text) =>
        new(text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Select(char.ToLowerInvariant).ToArray());

    private void Apply()
    {
        if (Filter.Length == 0)
        {
            Rows = _all;
            return;
        }

        var folded = Fold(Filter);
        Rows = _all.Where(e => Fold(e.Name).Contains(folded, StringComparison.Ordinal)
            || e.EnteId.StartsWith(Filter, StringComparison.OrdinalIgnoreCase)
            || (e.IstatCode?.StartsWith(Filter, StringComparison.OrdinalIgnoreCase) ?? false)).ToList();
    }

    /// <summary>Add ente: registration with adhesion date and listino; the ente's key follows from kind and codes.</summary>
    public ActionForm AddEnteForm(NodaTime.LocalDate today) => new(
        "Add ente",
        [
            new("Name"), new("Kind", nameof(EnteKind.Comune)), new("ISTAT code"), new("Codice fiscale"),
            new("Adhered on", Input.Date(today)), new("Listino", ImportValidator.DefaultListino),
        ],
        v =>
        {
            var name = Input.Required(v[0], "Name");
            var kind = Input.Choice<EnteKind>(v[1], "Kind");
            var istat = Input.Optional(v[2]);
            var cf = Input.Optional(v[3]);
            var key = EnteKey.Validate(kind, istat, cf);
            if (!key.Success)
            {
                throw new InputException(key.ErrorMessage);
            }

            var adhered = Input.Date(v[4], "Adhered on");
            var listino = Input.Required(v[5], "Listino");
            var registration = new EnteRegistration(name, kind, istat, cf, adhered, listino, null, null, null);
            return new PreparedAction(
                $"Register {kind} '{name}' as ente {key.Value}, adhered on {Input.Date(adhered)}, listino {listino}?",
                async () =>
                {
                    var view = await session.CallAsync("registering the ente",
                        () => session.Grains.GetGrain<IEnteGrain>(key.Value).RegisterAsync(registration, session.Operator));
                    return $"Ente {view.EnteId} '{view.Registration.Name}' registered.";
                });
        });
}
