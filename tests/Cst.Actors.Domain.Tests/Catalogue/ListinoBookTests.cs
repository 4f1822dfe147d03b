using Cst.Actors.Domain.Catalogue;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Catalogue;

/// <summary>The rules of holding listino versions: drafts, adoption, idempotent loading, immutability once used.</summary>
public class ListinoBookTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 6, 15, 8, 0);

    private static string Yaml(string version, string from, string price) =>
        $$"""
        listino: cst-esempio
        name: CST di esempio
        versions:
          - version: "{{version}}"
            effective_from: {{from}}
            adopted_by: "Delibera"
            month_counting: more-than-half
            services:
              - id: s.13
                name: Antivirus
                section: "s.13"
                components:
                  - id: modulo-base
                    name: Modulo base
                    kind: annual
                    price: {{price}}
                    per: unit
        """;

    private static ListinoBook Loaded(params (string Version, string From, string Price)[] versions)
    {
        var book = ListinoBook.Empty("cst-esempio");
        foreach (var (version, from, price) in versions)
        {
            book = book.Load($"{version}.yaml", Yaml(version, from, price), "Delibera n. 1", "op", At, _ => false).Book;
        }

        return book;
    }

    [Fact]
    public void Load_NewVersion_IsADraftThatPricesNothing()
    {
        var book = Loaded(("2027", "2027-01-01", "15.00"));

        Assert.Equal(ListinoVersionStatus.Draft, book.Get("2027").Status);
        Assert.Empty(book.InForce().Versions);
    }

    [Fact]
    public void Load_SameFileTwice_IsUnchanged()
    {
        var book = Loaded(("2027", "2027-01-01", "15.00"));

        var (again, outcomes) = book.Load("2027.yaml", Yaml("2027", "2027-01-01", "15.00"), "Delibera n. 1", "op2", At.PlusTicks(1), _ => false);

        Assert.Equal(ListinoLoadOutcome.Unchanged, Assert.Single(outcomes).Outcome);
        Assert.Equal(("op", At), (again.Get("2027").LoadedBy, again.Get("2027").LoadedAt));
    }

    [Fact]
    public void Adopt_Draft_PutsItInForceWithItsAct()
    {
        var (book, changed) = Loaded(("2020", "2020-01-01", "15.00"), ("2027", "2027-01-01", "18.00")).Adopt("2027", "op", At);

        Assert.True(changed);
        var version = Assert.Single(book.InForce().Versions);
        Assert.Equal(("2027", "Delibera n. 1"), (version.Id, version.AdoptedBy));
        Assert.False(book.Adopt("2027", "op", At).Changed);
    }

    [Fact]
    public void Load_ChangedAdoptedVersion_IsReplacedAsDraftUnlessAFinalRunUsedIt()
    {
        var book = Loaded(("2020", "2020-01-01", "15.00")).Adopt("2020", "op", At).Book;

        Assert.Throws<ListinoVersionInUseException>(() =>
            book.Load("2020.yaml", Yaml("2020", "2020-01-01", "16.00"), "Delibera n. 1", "op", At, v => v == "2020"));
        var (replaced, outcomes) = book.Load("2020.yaml", Yaml("2020", "2020-01-01", "16.00"), "Delibera n. 1", "op", At, _ => false);
        Assert.Equal(ListinoLoadOutcome.Replaced, Assert.Single(outcomes).Outcome);
        Assert.Equal(ListinoVersionStatus.Draft, replaced.Get("2020").Status);
    }

    [Fact]
    public void Adopt_SameDayAsAnAdoptedVersion_IsRefused()
    {
        var book = Loaded(("2020", "2020-01-01", "15.00"), ("2020-bis", "2020-01-01", "16.00")).Adopt("2020", "op", At).Book;

        var error = Assert.Throws<ListinoVersionClashException>(() => book.Adopt("2020-bis", "op", At));
        Assert.Contains("'2020'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileOfAnotherListino_IsRefused()
    {
        Assert.Throws<ListinoMismatchException>(() =>
            ListinoBook.Empty("cst-altro").Load("x.yaml", Yaml("2020", "2020-01-01", "15.00"), "Delibera", "op", At, _ => false));
    }

    [Fact]
    public void Diff_PriceChange_GivesOldAndNewAmounts()
    {
        var book = Loaded(("2020", "2020-01-01", "15.00"), ("2027", "2027-01-01", "18.00"));

        var change = Assert.Single(ListinoDiff.Compare(book.Get("2020").Version, book.Get("2027").Version));

        Assert.Equal((TariffChangeKind.Changed, "s.13", "modulo-base", 15.00m, 18.00m),
            (change.Kind, change.ServiceId, change.ComponentId, change.OldPrice!.Value.Euros, change.NewPrice!.Value.Euros));
    }
}
