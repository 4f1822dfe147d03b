namespace Cst.Actors.Grains.Tests.Import;

/// <summary>Files of the repository the import tests read: the documented example, the format document.</summary>
public static class ImportFiles
{
    public static string Root { get; } = FindRoot();

    public static string ExamplePath => Path.Combine(Root, "docs", "import-example.json");

    public static string FormatDocumentPath => Path.Combine(Root, "docs", "import-format.md");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cst.Actors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Cst.Actors.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>
/// The import tests share a cluster of their own (a database of their own), so the demo data's 102 comuni and the
/// example's enti never meet the fresh keys and moving clock of the other grain tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ImportCollection : ICollectionFixture<GrainsCluster>
{
    public const string Name = "import";
}
