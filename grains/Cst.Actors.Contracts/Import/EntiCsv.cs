using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cst.Actors.Domain.Enti;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Contracts.Import;

/// <summary>
/// Reads a list of enti from a <c>;</c>-separated CSV with a header row (docs/import-format.md, "CSV of enti"): UTF-8
/// with or without BOM, fields optionally in double quotes (<c>""</c> for a quote inside), columns in any order,
/// Italian or English column names, decimal comma and thousands dots tolerated in numbers, dates as yyyy-MM-dd or
/// dd/MM/yyyy. Each row is one ente of the resulting document. A row with a problem is left out and reported with its
/// line and column; the other rows are kept, so the import applies them (all-or-nothing per ente).
/// </summary>
public static partial class EntiCsv
{
    /// <summary>The columns, by their Italian name, with the English alias.</summary>
    public static ImmutableArray<(string Name, string Alias, bool Required)> Columns { get; } =
    [
        ("nome", "name", true),
        ("tipo", "kind", false),
        ("codice_istat", "istat_code", false),
        ("codice_fiscale", "fiscal_code", false),
        ("data_adesione", "adhered_on", true),
        ("listino", "listino", false),
        ("popolazione", "population", false),
        ("anno_popolazione", "population_year", false),
        ("referente_pec", "contact_pec", false),
        ("referente_email", "contact_email", false),
        ("referente_nome", "contact_name", false),
        ("capofila", "capofila", false),
    ];

    private static readonly LocalDatePattern ItalianDate = LocalDatePattern.CreateWithInvariantCulture("dd/MM/yyyy");

    /// <summary>Reads a file (UTF-8, with or without BOM) and parses it.</summary>
    public static async Task<ImportParseResult> ParseFileAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false));

    /// <summary>Parses the text of a CSV of enti; never throws for bad input.</summary>
    public static ImportParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var errors = ImmutableList.CreateBuilder<ImportError>();
        if (lines.Length == 0 || string.IsNullOrWhiteSpace(lines[0]))
        {
            return new ImportParseResult(null, [new ImportError(1, 1, "header", "the file has no header row; the first line must name the columns, e.g. "
                + string.Join(';', Columns.Select(c => c.Name)))]);
        }

        // Header: each name to its column index.
        var header = SplitLine(lines[0], 1, errors);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().ToLowerInvariant();
            var column = Columns.FirstOrDefault(c => c.Name == name || c.Alias == name);
            if (column.Name is null)
            {
                errors.Add(new ImportError(1, i + 1, header[i], $"unknown column \"{header[i]}\"; the columns are {string.Join(", ", Columns.Select(c => c.Name))}"));
            }
            else if (!index.TryAdd(column.Name, i))
            {
                errors.Add(new ImportError(1, i + 1, header[i], $"column \"{column.Name}\" appears twice"));
            }
        }

        foreach (var required in Columns.Where(c => c.Required && !index.ContainsKey(c.Name)))
        {
            errors.Add(new ImportError(1, 0, required.Name, $"the header has no column \"{required.Name}\", which is required"));
        }

        if (errors.Count > 0)
        {
            return new ImportParseResult(null, errors.ToImmutable());
        }

        var enti = ImmutableList.CreateBuilder<ImportEnte>();
        for (var l = 1; l < lines.Length; l++)
        {
            var lineNumber = l + 1;
            if (string.IsNullOrWhiteSpace(lines[l]))
            {
                continue;
            }

            var rowErrors = ImmutableList.CreateBuilder<ImportError>();
            var fields = SplitLine(lines[l], lineNumber, rowErrors);
            if (fields.Count != header.Count && rowErrors.Count == 0)
            {
                rowErrors.Add(new ImportError(lineNumber, Math.Min(fields.Count, header.Count) + 1, "row",
                    $"the row has {fields.Count} fields and the header {header.Count}; check for a missing or extra ';'"));
            }

            if (rowErrors.Count == 0)
            {
                var ente = ReadRow(fields, index, lineNumber, rowErrors);
                if (rowErrors.Count == 0)
                {
                    enti.Add(ente);
                }
            }

            errors.AddRange(rowErrors);
        }

        return new ImportParseResult(new ImportDocument { Enti = enti.ToImmutable() }, errors.ToImmutable());
    }

    private static ImportEnte ReadRow(List<string> fields, Dictionary<string, int> index, int line, ImmutableList<ImportError>.Builder errors)
    {
        string? Field(string name) =>
            index.TryGetValue(name, out var i) && fields[i].Trim() is { Length: > 0 } value ? value : null;

        void Error(string name, string message) =>
            errors.Add(new ImportError(line, index.TryGetValue(name, out var i) ? i + 1 : 0, name, message));

        var name = Field("nome");
        if (name is null)
        {
            Error("nome", "nome is empty; every ente has a name");
        }

        var kind = EnteKind.Comune;
        if (Field("tipo") is { } kindText && !TryKind(kindText, out kind))
        {
            Error("tipo", $"tipo \"{kindText}\" is not a kind of ente; use one of {string.Join(", ", Enum.GetNames<EnteKind>())} "
                + "(or Comune, Unione di Comuni, Comunità montana, Provincia, Altro ente)");
        }

        LocalDate? adheredOn = null;
        if (Field("data_adesione") is not { } adheredText)
        {
            Error("data_adesione", "data_adesione is empty; give the adhesion date as yyyy-MM-dd or dd/MM/yyyy");
        }
        else if (TryDate(adheredText) is { } date)
        {
            adheredOn = date;
        }
        else
        {
            Error("data_adesione", $"data_adesione \"{adheredText}\" is not a date; write yyyy-MM-dd or dd/MM/yyyy");
        }

        ImmutableList<ImportPopulation> population = [];
        var populationText = Field("popolazione");
        var yearText = Field("anno_popolazione");
        if (populationText is not null || yearText is not null)
        {
            int? inhabitants = null;
            if (populationText is null)
            {
                Error("popolazione", $"popolazione is empty while anno_popolazione is {yearText}; give both or neither");
            }
            else if (TryWholeNumber(populationText) is { } n)
            {
                inhabitants = n;
            }
            else
            {
                Error("popolazione", $"popolazione \"{populationText}\" is not a whole number of residents");
            }

            int? year = null;
            if (yearText is null)
            {
                Error("anno_popolazione", $"anno_popolazione is empty while popolazione is {populationText}; give the year of the count");
            }
            else if (TryWholeNumber(yearText) is { } y and >= 1000 and <= 9999)
            {
                year = y;
            }
            else
            {
                Error("anno_popolazione", $"anno_popolazione \"{yearText}\" is not a year");
            }

            if (inhabitants is { } i && year is { } yy)
            {
                population = [new ImportPopulation { Year = yy, Inhabitants = i }];
            }
        }

        return new ImportEnte
        {
            Name = name ?? string.Empty,
            Kind = kind,
            IstatCode = Field("codice_istat"),
            CodiceFiscale = Field("codice_fiscale"),
            AdheredOn = adheredOn,
            Listino = Field("listino"),
            Population = population,
            ReferentePec = Field("referente_pec"),
            ReferenteEmail = Field("referente_email"),
            ReferenteName = Field("referente_nome"),
            Capofila = Field("capofila"),
        };
    }

    private static bool TryKind(string text, out EnteKind kind)
    {
        var key = new string(text.Normalize(NormalizationForm.FormD)
            .Where(c => char.IsAsciiLetter(c)).ToArray()).ToLowerInvariant();
        foreach (var value in Enum.GetValues<EnteKind>())
        {
            if (value.ToString().Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                kind = value;
                return true;
            }
        }

        kind = EnteKind.Comune;
        return false;
    }

    private static LocalDate? TryDate(string text)
    {
        var iso = LocalDatePattern.Iso.Parse(text);
        if (iso.Success)
        {
            return iso.Value;
        }

        var italian = ItalianDate.Parse(text);
        return italian.Success ? italian.Value : null;
    }

    /// <summary>"12345", "12.345" (thousands dots), "12345,0" (decimal comma): a whole number; null otherwise.</summary>
    private static int? TryWholeNumber(string text)
    {
        var t = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (ThousandsDots().IsMatch(t))
        {
            t = t.Replace(".", string.Empty, StringComparison.Ordinal);
        }

        t = t.Replace(',', '.');
        return decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && value == decimal.Truncate(value) && value <= int.MaxValue
            ? (int)value
            : null;
    }

    /// <summary>Splits one line on ';' outside double quotes.</summary>
    private static List<string> SplitLine(string line, int lineNumber, ImmutableList<ImportError>.Builder errors)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"' && current.ToString().Trim().Length == 0)
            {
                current.Clear();
                quoted = true;
            }
            else if (c == ';')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            errors.Add(new ImportError(lineNumber, fields.Count + 1, "row",
                "a quoted field is not closed; a field in double quotes ends with a double quote (a quote inside is written \"\")"));
        }

        fields.Add(current.ToString());
        return fields;
    }

    [GeneratedRegex(@"^\d{1,3}(\.\d{3})+(,\d+)?$")]
    private static partial Regex ThousandsDots();
}
