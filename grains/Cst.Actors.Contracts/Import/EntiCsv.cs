using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using Cst.Actors.Domain.Enti;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Contracts.Import;

/// <summary>
/// Reads a list of enti from a <c>;</c>-separated CSV with a header row (docs/import-format.md, "CSV of enti"): UTF-8
/// with or without BOM, or Windows-1252 (converted, and the result says so), fields optionally in double quotes
/// (<c>""</c> for a quote inside, line breaks allowed inside), columns in any order, Italian or English column names,
/// decimal comma and thousands dots tolerated in numbers, dates as yyyy-MM-dd or dd/MM/yyyy. Tokenizing is CsvHelper's
/// (RFC 4180, with malformed quoting reported per record); this class maps the columns and checks the values. Each row
/// is one ente of the resulting document; a row with a problem is left out of it (<see cref="ImportParseResult.LeftOut"/>)
/// and every problem is reported with its line and column. The result is marked
/// <see cref="ImportParseResult.WholeFile"/>: the importer applies a CSV only when every row is good.
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

    /// <summary>Reads a file and parses it: see <see cref="Parse(byte[])"/>.</summary>
    public static async Task<ImportParseResult> ParseFileAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Parses the bytes of a CSV: UTF-8 (with or without BOM) as it is, Windows-1252 converted with a note in
    /// <see cref="ImportParseResult.Notes"/>, anything else refused naming the line.
    /// </summary>
    public static ImportParseResult Parse(byte[] bytes)
    {
        var decoded = ImportText.Decode(bytes, allowWindows1252: true);
        if (decoded.Text is not { } text)
        {
            return new ImportParseResult(null, [decoded.Error!]) { WholeFile = true };
        }

        var result = Parse(text);
        return decoded.Note is { } note ? result with { Notes = result.Notes.Add(note) } : result;
    }

    /// <summary>Parses the text of a CSV of enti; never throws for bad input.</summary>
    public static ImportParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var errors = ImmutableList.CreateBuilder<ImportError>();
        ImportParseResult Refuse(ImportError error) => new(null, [error]) { WholeFile = true };

        // Excel may write a first line "sep=;" naming the separator.
        var firstLine = FirstLine(text, out var firstLineNumber);
        if (firstLine.StartsWith("sep=", StringComparison.OrdinalIgnoreCase))
        {
            if (firstLine.Trim() != "sep=;")
            {
                return Refuse(new ImportError(firstLineNumber, 1, "header", $"the file declares \"{firstLine.Trim()}\": {SeparatorMessage(firstLine.Trim()[4..])}"));
            }

            // Blank it out rather than cut it, so that every later line keeps its number in the file.
            var end = 0;
            for (var l = 0; l < firstLineNumber && end >= 0; l++)
            {
                end = text.IndexOf('\n', end) is var nl and >= 0 ? nl + 1 : -1;
            }

            text = new string('\n', firstLineNumber) + (end < 0 ? string.Empty : text[end..]);
            firstLine = FirstLine(text, out firstLineNumber);
        }

        if (firstLine.Length == 0)
        {
            return Refuse(new ImportError(1, 1, "header", "the file has no header row; the first line must name the columns, e.g. "
                + string.Join(';', Columns.Select(c => c.Name))));
        }

        if (!firstLine.Contains(';', StringComparison.Ordinal) && (firstLine.Contains(',', StringComparison.Ordinal) || firstLine.Contains('\t', StringComparison.Ordinal)))
        {
            return Refuse(new ImportError(firstLineNumber, 0, "header", SeparatorMessage(firstLine.Contains('\t', StringComparison.Ordinal) ? "\t" : ",")));
        }

        var malformed = new Dictionary<long, CsvMalformedReason>();
        var rows = new List<(int Line, string[] Fields)>();
        string[] header;
        var options = CsvReaderOptions.Default with
        {
            Separator = ';',
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            TrimWhitespace = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = m => malformed.TryAdd(m.LineNumber, m.Reason),
        };
        using (var reader = CsvReader.FromText(text, options))
        {
            header = [.. reader.Headers];
            while (reader.Read())
            {
                var fields = new string[reader.FieldCount];
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] = reader.GetString(i) ?? string.Empty;
                }

                // Spreadsheets write rows of empty cells (";;;;") below the data: they are not enti.
                if (fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                rows.Add(((int)reader.LineNumber, fields));
            }
        }

        if (malformed.TryGetValue(firstLineNumber, out var headerProblem))
        {
            errors.Add(new ImportError(firstLineNumber, 0, "header", Malformed(headerProblem)));
        }

        // Header: each name to its column index.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().ToLowerInvariant();
            var column = Columns.FirstOrDefault(c => c.Name == name || c.Alias == name);
            if (column.Name is null)
            {
                errors.Add(new ImportError(firstLineNumber, i + 1, header[i], $"unknown column \"{header[i]}\"; the columns are {string.Join(", ", Columns.Select(c => c.Name))}"));
            }
            else if (!index.TryAdd(column.Name, i))
            {
                errors.Add(new ImportError(firstLineNumber, i + 1, header[i], $"column \"{column.Name}\" appears twice"));
            }
        }

        foreach (var required in Columns.Where(c => c.Required && !index.ContainsKey(c.Name)))
        {
            errors.Add(new ImportError(firstLineNumber, 0, required.Name, $"the header has no column \"{required.Name}\", which is required"));
        }

        if (errors.Count > 0)
        {
            return new ImportParseResult(null, errors.ToImmutable()) { WholeFile = true };
        }

        var enti = ImmutableList.CreateBuilder<ImportEnte>();
        var lines = ImmutableList.CreateBuilder<int>();
        var leftOut = ImmutableList.CreateBuilder<LeftOutRow>();
        foreach (var (lineNumber, fields) in rows)
        {
            var rowErrors = ImmutableList.CreateBuilder<ImportError>();
            if (malformed.TryGetValue(lineNumber, out var problem))
            {
                rowErrors.Add(new ImportError(lineNumber, 0, "row", Malformed(problem)));
            }
            else if (fields.Length != header.Length)
            {
                rowErrors.Add(new ImportError(lineNumber, Math.Min(fields.Length, header.Length) + 1, "row",
                    $"the row has {fields.Length} fields and the header {header.Length}; check for a missing or extra ';'"));
            }

            // A row whose shape is wrong is reported for its shape only: its values would be read from the wrong columns.
            var ente = ReadRow(fields, index, lineNumber, rowErrors.Count == 0 ? rowErrors : ImmutableList.CreateBuilder<ImportError>());
            if (rowErrors.Count == 0)
            {
                enti.Add(ente);
                lines.Add(lineNumber);
            }
            else
            {
                leftOut.Add(new LeftOutRow(lineNumber, string.IsNullOrWhiteSpace(ente.Name) ? "(no name)" : ente.Name.Trim(),
                    ente.IstatCode ?? ente.CodiceFiscale));
            }

            errors.AddRange(rowErrors);
        }

        return new ImportParseResult(new ImportDocument { Enti = enti.ToImmutable() }, errors.ToImmutable())
        {
            Lines = lines.ToImmutable(),
            LeftOut = leftOut.ToImmutable(),
            WholeFile = true,
        };
    }

    private static string SeparatorMessage(string separator) =>
        $"this file is separated by {(separator == "\t" ? "tabs" : separator == "," ? "commas" : $"'{separator}'")}; the CST format uses ';' "
        + "(Excel on an Italian Windows writes ';' with \"CSV (delimitato dal separatore di elenco)\" or \"CSV UTF-8\")";

    private static string Malformed(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote =>
            "a double quote inside a field that does not start with one; put the whole field in double quotes and write the quote as \"\"",
        CsvMalformedReason.TextAfterClosingQuote =>
            "text after the closing double quote of a field; a quote inside a quoted field is written \"\"",
        CsvMalformedReason.UnterminatedQuote =>
            "a field in double quotes that is never closed; it runs to the end of the file (a quote inside is written \"\")",
        _ => $"the row is malformed ({reason})",
    };

    /// <summary>The first line that is not blank, and its 1-based number.</summary>
    private static string FirstLine(string text, out int lineNumber)
    {
        lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                return line.TrimEnd('\r');
            }
        }

        return string.Empty;
    }

    private static ImportEnte ReadRow(string[] fields, Dictionary<string, int> index, int line, ImmutableList<ImportError>.Builder errors)
    {
        string? Field(string name) =>
            index.TryGetValue(name, out var i) && i < fields.Length && fields[i].Trim() is { Length: > 0 } value ? value : null;

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

    [GeneratedRegex(@"^\d{1,3}(\.\d{3})+(,\d+)?$")]
    private static partial Regex ThousandsDots();
}
