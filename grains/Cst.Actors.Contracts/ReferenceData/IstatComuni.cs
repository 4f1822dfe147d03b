using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Cst.Actors.Contracts.ReferenceData;

/// <summary>One Italian municipality of the ISTAT list (as of 1 January 2020; population at the 2011 census).</summary>
public sealed record IstatComune(
    string IstatCode,
    string Name,
    string ProvinceAbbreviation,
    string CodiceCatastale,
    string Region,
    int Population2011);

/// <summary>
/// The ISTAT list of the 7,904 Italian municipalities, embedded in this assembly (source ISTAT, CC BY 3.0 IT,
/// attribution ISTAT; see ReferenceData/README.md). Read once, then kept.
/// </summary>
public static class IstatComuni
{
    /// <summary>The resource name of the embedded CSV.</summary>
    public const string ResourceName = "ReferenceData/comuni-istat.csv";

    /// <summary>The attribution the licence requires wherever the data is shown or redistributed.</summary>
    public const string Attribution = "ISTAT - Istituto Nazionale di Statistica, CC BY 3.0 IT";

    private static readonly Lazy<ImmutableArray<IstatComune>> All = new(Read);

    /// <summary>Every municipality, in the order of the file (by ISTAT code).</summary>
    public static ImmutableArray<IstatComune> LoadAll() => All.Value;

    /// <summary>The municipalities of one province, e.g. "PD" (the 102 of the Province of Padova).</summary>
    public static ImmutableArray<IstatComune> OfProvince(string abbreviation) =>
        [.. LoadAll().Where(c => string.Equals(c.ProvinceAbbreviation, abbreviation, StringComparison.OrdinalIgnoreCase))];

    private static ImmutableArray<IstatComune> Read()
    {
        using var stream = typeof(IstatComuni).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {typeof(IstatComuni).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine();
        if (header != "codice_istat;nome;sigla_provincia;codice_catastale;regione;popolazione_2011")
        {
            throw new InvalidDataException($"{ResourceName} has an unexpected header: {header}");
        }

        var result = ImmutableArray.CreateBuilder<IstatComune>(8000);
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(';');
            if (f.Length != 6 || !int.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out var population))
            {
                throw new InvalidDataException($"{ResourceName} line {lineNumber} is not six fields ending in a population: {line}");
            }

            result.Add(new IstatComune(f[0], f[1], f[2], f[3], f[4], population));
        }

        return result.ToImmutable();
    }
}
