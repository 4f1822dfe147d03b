using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Lifecycle;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Catalogue;

/// <summary>
/// A listino version names its PEC mailbox service and the variants that are its tiers (<c>pec_mailbox</c>), so
/// mailboxes by address can be billed from any centre's listino, not only from the Disciplinare's s.11.
/// </summary>
public class PecMailboxDeclarationTests
{
    private const string File = "pec.yaml";

    private static string Text(params string[] pecLines) => string.Join('\n', new[]
    {
        "listino: test",                          // 1
        "name: Test listino",                     // 2
        "versions:",                              // 3
        "  - version: \"v1\"",                    // 4
        "    effective_from: 2025-01-01",         // 5
        "    adopted_by: \"Test act\"",           // 6
        "    month_counting: more-than-half",     // 7
        "    services:",                          // 8
        "      - id: posta",                      // 9
        "        name: Posta certificata",        // 10
        "        section: \"art. 1\"",            // 11
        "        variants: [base, plus]",         // 12
        "        components:",                    // 13
        "          - id: casella",                // 14
        "            name: Casella",              // 15
        "            kind: annual",               // 16
        "            price: 10.00",               // 17
    }.Concat(pecLines)) + "\n";

    [Fact]
    public void ShippedListini_DeclareTheirPecServiceAndTiers()
    {
        var catalogue = ListinoLoader.LoadShipped();
        var brescia = CatalogueChecks.PecMailbox(catalogue.Get("cit-brescia"), new LocalDate(2026, 3, 1));
        var padova = CatalogueChecks.PecMailbox(catalogue.Get("cst-padova"), new LocalDate(2026, 3, 1));

        // Brescia's service 'pec' has no variants: its single tier is priced by the service itself.
        Assert.Equal("pec", brescia.ServiceId);
        Assert.Equal(new PecTier("standard", null), Assert.Single(brescia.Tiers));
        Assert.Equal("s.11", padova.ServiceId);
        Assert.Equal(["standard=pec-standard", "silver=pec-silver", "gold=pec-gold", "massiva=pec-massiva"],
            padova.Tiers.Select(t => t.Name + "=" + t.Variant));
    }

    [Fact]
    public void PecTierVariant_Brescia_StandardIsTheServiceItselfAndOtherTiersAreRefused()
    {
        var brescia = ListinoLoader.LoadShipped().Get("cit-brescia");

        Assert.Equal(string.Empty, CatalogueChecks.PecTierVariant(brescia, "standard", new LocalDate(2026, 3, 1)));
        var error = Assert.Throws<UnknownCatalogueItemException>(
            () => CatalogueChecks.PecTierVariant(brescia, "gold", new LocalDate(2026, 3, 1)));
        Assert.Contains("'gold' is unknown in listino 'cit-brescia'; it must be one of standard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PecMailbox_PadovaBeforeTheDisciplinare_UsesTheFirstVersionDeclaringIt()
    {
        // The FAQ version (2013) lists only s.12; a 2018 mailbox is checked against the Disciplinare of 2020.
        var padova = ListinoLoader.LoadShipped().Get("cst-padova");

        Assert.Equal("pec-gold", CatalogueChecks.PecTierVariant(padova, "gold", new LocalDate(2018, 5, 2)));
    }

    [Fact]
    public void ParseFile_DeclaredTiers_AreLoaded()
    {
        var listino = ListinoLoader.ParseFile(File, Text(
            "    pec_mailbox:",                                   // 18
            "      service: posta",                               // 19
            "      tiers:",                                       // 20
            "        - { tier: normale, variant: base }",         // 21
            "        - { tier: maggiorata, variant: plus }"));    // 22

        var pec = Assert.Single(listino.Versions).PecMailbox!;
        Assert.Equal("plus", CatalogueChecks.PecTierVariant(listino, "Maggiorata", new LocalDate(2025, 6, 1)));
        Assert.Equal("posta", pec.ServiceId);
    }

    [Fact]
    public void ParseFile_TierOfUnknownVariant_NamesFileLineAndField()
    {
        var error = Assert.Throws<ListinoInvalidValueException>(() => ListinoLoader.ParseFile(File, Text(
            "    pec_mailbox:",                                   // 18
            "      service: posta",                               // 19
            "      tiers:",                                       // 20
            "        - { tier: normale, variant: base }",         // 21
            "        - { tier: oro, variant: gold }")));          // 22

        Assert.Equal((File, 22L, "versions[0].pec_mailbox.tiers[1].variant"), (error.File, error.Line, error.Field));
        Assert.StartsWith("pec.yaml, line 22, field 'versions[0].pec_mailbox.tiers[1].variant': tier 'oro' is variant 'gold', "
            + "which service 'posta' does not declare (its variants: base, plus).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_UnknownPecService_NamesFileLineAndField()
    {
        var error = Assert.Throws<ListinoInvalidValueException>(() => ListinoLoader.ParseFile(File, Text(
            "    pec_mailbox:",                                   // 18
            "      service: s.11",                                // 19
            "      tiers:",                                       // 20
            "        - { tier: standard, variant: base }")));     // 21

        Assert.Equal((File, 19L, "versions[0].pec_mailbox.service"), (error.File, error.Line, error.Field));
        Assert.Contains("service 's.11' is not in version 'v1'; known services: posta", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_TierWithoutVariantOfAServiceWithVariants_IsAMissingField()
    {
        var error = Assert.Throws<ListinoMissingFieldException>(() => ListinoLoader.ParseFile(File, Text(
            "    pec_mailbox:",                                   // 18
            "      service: posta",                               // 19
            "      tiers:",                                       // 20
            "        - { tier: normale }")));                     // 21

        Assert.Equal((File, 21L, "versions[0].pec_mailbox.tiers[0].variant"), (error.File, error.Line, error.Field));
    }

    [Fact]
    public void PecMailbox_VersionDeclaringNothingWithoutS11_IsRefusedInPlainWords()
    {
        var listino = ListinoLoader.ParseFile(File, Text());

        var error = Assert.Throws<UnknownCatalogueItemException>(() => CatalogueChecks.PecMailbox(listino, new LocalDate(2025, 6, 1)));
        Assert.Contains("listino 'test' names no PEC mailbox service", error.Message, StringComparison.Ordinal);
    }
}
