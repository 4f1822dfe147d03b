using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Catalogue;

/// <summary>The example in FORMAT.md is a real, loadable listino, so the document cannot drift from the loader.</summary>
public class FormatDocumentTests
{
    private static string ExampleFromFormatDocument()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "grains")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var text = File.ReadAllText(Path.Combine(directory.FullName, "grains", "Cst.Actors.Domain", "Catalogue", "FORMAT.md"));
        var start = text.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var end = text.IndexOf("```", start, StringComparison.Ordinal);
        return text[start..end];
    }

    [Fact]
    public void FormatExample_Loads_WithFourServicesAndAQuota()
    {
        var listino = ListinoLoader.ParseFile("FORMAT.md", ExampleFromFormatDocument());

        var version = Assert.Single(listino.Versions);
        Assert.Equal(new[] { "s.1", "s.2", "s.3", "s.4" }, version.Services.Select(s => s.Id));
        Assert.NotNull(version.MembershipQuota);
    }

    [Fact]
    public void FormatExample_Prices_FreeFirstMailbox()
    {
        // 3 standard mailboxes, the first free: 2 x 8.00 = 16.00 for 2027; quota 2,000 x 0.20 = 400.00
        var listino = ListinoLoader.ParseFile("FORMAT.md", ExampleFromFormatDocument());
        var history = new EnteHistory("e", "cst-esempio", new LocalDate(2026, 1, 1))
        {
            Population = [new PopulationCount(2027, 2000)],
            Subscriptions = [new Subscription("pec", "s.2", new LocalDate(2026, 5, 1)) { Variant = "standard", Quantity = 3m }],
        };

        Assert.Equal(416m, StatementCalculator.Compute(listino, history, 2027).Total.Euros);
    }
}
