namespace Cst.Actors.Contracts.Import;

/// <summary>An import file read by its extension: <c>.csv</c> a CSV of enti (<see cref="EntiCsv"/>), anything else a
/// JSON import document (<see cref="ImportJson"/>).</summary>
public static class ImportFile
{
    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads and parses <paramref name="path"/>; throws only when the file cannot be read (IO, permissions).</summary>
    public static ImportParseResult Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return IsCsv(path) ? EntiCsv.Parse(bytes) : ImportJson.Parse(bytes);
    }
}
