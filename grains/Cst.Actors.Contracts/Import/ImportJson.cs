using System.Collections;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Enti;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Contracts.Import;

/// <summary>A problem in an import file, located for the operator: line and column (1-based), and where in the data.</summary>
/// <param name="Line">1-based line of the file; 0 when the problem is not tied to a line.</param>
/// <param name="Column">1-based column (JSON and encoding problems: byte of the line; CSV: field number); 0 when unknown.</param>
/// <param name="Location">The JSON path ($.enti[2].mailboxes[0].tier) or the CSV column name.</param>
[GenerateSerializer, Immutable, Alias("cst.import.ImportError")]
public sealed record ImportError(
    [property: Id(0)] int Line,
    [property: Id(1)] int Column,
    [property: Id(2)] string Location,
    [property: Id(3)] string Message)
{
    public override string ToString() => Line switch
    {
        > 0 when Column > 0 => $"line {Line}, column {Column} ({Location}): {Message}",
        > 0 => $"line {Line} ({Location}): {Message}",
        _ => $"{Location}: {Message}",
    };
}

/// <summary>
/// A parsed file: the document (null when the file could not be read at all) and the problems found. For a CSV the
/// document holds the rows that could be read; the others are in <see cref="LeftOut"/>, their problems in
/// <see cref="Errors"/>.
/// </summary>
public sealed record ImportParseResult(ImportDocument? Document, ImmutableList<ImportError> Errors)
{
    public bool Success => Document is not null && Errors.IsEmpty;

    /// <summary>What the reader did that the operator should know, e.g. "read as Windows-1252 ...".</summary>
    public ImmutableList<string> Notes { get; init; } = [];

    /// <summary>The line of the file where each ente of <see cref="Document"/> starts (a CSV row, a JSON object); empty when not known.</summary>
    public ImmutableList<int> Lines { get; init; } = [];

    /// <summary>The rows that could not be read as an ente (CSV): they are reported as refused enti.</summary>
    public ImmutableList<LeftOutRow> LeftOut { get; init; } = [];

    /// <summary>
    /// True for a CSV of enti: the file is imported whole or not at all (docs/import-format.md says why); false for a
    /// JSON document, imported ente by ente.
    /// </summary>
    public bool WholeFile { get; init; }
}

/// <summary>A CSV row that could not be read as an ente: its line and what could be read of its name and key.</summary>
public sealed record LeftOutRow(int Line, string Name, string? Key);

/// <summary>
/// Reads and writes the JSON import format (docs/import-format.md) with System.Text.Json: camelCase names, dates as
/// yyyy-MM-dd, enums by name, unknown properties refused (a typo must not silently drop data), comments and trailing
/// commas allowed. A file that cannot be read is refused as a whole, with the line, column, path and text of the
/// first problem; checking the content ente by ente is the importer's job.
/// </summary>
public static class ImportJson
{
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["year"] = "a whole number (a year such as 2026)",
        ["inhabitants"] = "a whole number of residents",
        ["quantity"] = "a number (decimal point, no quotes)",
        ["agreedPrice"] = "a number of euros (decimal point, no quotes)",
        ["reason"] = "one of " + string.Join(", ", Enum.GetNames<RevocationReason>()),
    };

    /// <summary>The options used both ways.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Parses <paramref name="json"/>; never throws for bad input.</summary>
    public static ImportParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (DuplicateKey(json) is { } duplicate)
        {
            return Fail(duplicate);
        }

        try
        {
            var document = JsonSerializer.Deserialize<ImportDocument>(json, Options);
            if (document is null)
            {
                return Fail(new ImportError(1, 1, "$", "the file holds null; it must be an object with \"format\" and \"enti\""));
            }

            if (document.Format != ImportDocument.CurrentFormat)
            {
                return Fail(new ImportError(0, 0, "$.format",
                    $"format is \"{document.Format}\"; this version reads \"{ImportDocument.CurrentFormat}\""));
            }

            var lines = EnteLines(json);
            return new ImportParseResult(document, []) { Lines = lines.Count == document.Enti.Count ? lines : [] };
        }
        catch (JsonException e)
        {
            return Fail(Describe(e, json));
        }
    }

    /// <summary>Reads a file (UTF-8, with or without BOM) and parses it.</summary>
    public static async Task<ImportParseResult> ParseFileAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Parses the bytes of a file: UTF-8 with or without BOM. Bytes that are not UTF-8 are refused naming their line
    /// and column, never read as U+FFFD (which would store a wrong name without a word).
    /// </summary>
    public static ImportParseResult Parse(byte[] bytes)
    {
        var decoded = ImportText.Decode(bytes, allowWindows1252: false);
        return decoded.Text is { } text
            ? Parse(text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text) with { Notes = decoded.Note is { } n ? [n] : [] }
            : Fail(decoded.Error!);
    }

    /// <summary>The line where each object of the top-level "enti" list starts, so that the report can name it.</summary>
    private static ImmutableList<int> EnteLines(string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var lines = ImmutableList.CreateBuilder<int>();
        var inEnti = false;
        var newlines = 0;
        var counted = 0;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                inEnti = reader.ValueTextEquals("enti");
            }
            else if (inEnti && reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.StartObject)
            {
                var at = (int)reader.TokenStartIndex;
                newlines += bytes.AsSpan(counted, at - counted).Count((byte)'\n');
                counted = at;
                lines.Add(newlines + 1);
            }
        }

        return lines.ToImmutable();
    }

    /// <summary>
    /// The first property given twice in one object, located. System.Text.Json keeps the last value without a word,
    /// so {"quantity": 1, "quantity": 100} would import 100; the operator must say which one is meant.
    /// Null when there is none or the text is not JSON (the deserializer then reports what is wrong).
    /// </summary>
    private static ImportError? DuplicateKey(string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var objects = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push([]);
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString() ?? string.Empty;
                        if (!objects.Peek().Add(name))
                        {
                            var start = (int)reader.TokenStartIndex;
                            var line = bytes.AsSpan(0, start).Count((byte)'\n') + 1;
                            var lineStart = bytes.AsSpan(0, start).LastIndexOf((byte)'\n') + 1;
                            return new ImportError(line, start - lineStart + 1, $"$..{name}",
                                $"the property \"{name}\" is given twice in the same object; keep only one");
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>The document as indented JSON, nulls and empty lists left out.</summary>
    public static string Write(ImportDocument document) => JsonSerializer.Serialize(document, Options);

    private static ImportParseResult Fail(ImportError error) => new(null, [error]);

    private static ImportError Describe(JsonException e, string json)
    {
        var line = (int)(e.LineNumber ?? -1) + 1;
        var column = (int)(e.BytePositionInLine ?? -1) + 1;
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var lines = json.Split('\n');
        var text = line >= 1 && line <= lines.Length ? lines[line - 1].Trim() : string.Empty;
        if (text.Length > 80)
        {
            text = text[..80] + "...";
        }

        var near = text.Length > 0 ? $" (the line reads: {text})" : string.Empty;
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var property = path[(path.LastIndexOf('.') + 1)..];
            property = property.Split('[')[0];
            var expected = property == "kind"
                ? (path.Contains(".devices[", StringComparison.Ordinal)
                    ? "one of " + string.Join(", ", Enum.GetNames<FirmaDeviceKind>())
                    : "one of " + string.Join(", ", Enum.GetNames<EnteKind>()))
                : Expected.GetValueOrDefault(property, "a value of another type");
            message = TooLarge(lines, line, property) is { } number
                ? $"{property} is {number}; it is too large (the limits are in docs/import-format.md)"
                : $"the value cannot be read as {property}: expected {expected}";
        }
        else if (message.StartsWith("The JSON property", StringComparison.Ordinal)
            && message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            message = message.Replace("The JSON property", "the property", StringComparison.Ordinal)
                .Replace(" could not be mapped to any .NET member contained in type ", " is not part of ", StringComparison.Ordinal)
                .TrimEnd('.') + "; check its spelling against docs/import-format.md";
        }

        return new ImportError(Math.Max(line, 0), Math.Max(column, 0), path, message + near);
    }

    /// <summary>
    /// The number written for <paramref name="property"/> on the line when it is a number too large to read (1e+30
    /// overflows decimal): the operator must hear "too large", not "expected a number".
    /// </summary>
    private static string? TooLarge(string[] lines, int line, string property)
    {
        if (line < 1 || line > lines.Length)
        {
            return null;
        }

        var match = System.Text.RegularExpressions.Regex.Match(lines[line - 1], "\"" + System.Text.RegularExpressions.Regex.Escape(property)
            + "\"\\s*:\\s*(-?[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?)");
        return match.Success
            && double.TryParse(match.Groups[1].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && Math.Abs(value) > (double)Cst.Actors.Domain.Validation.Guard.MaxQuantity
                ? match.Groups[1].Value
                : null;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            WriteIndented = true,
            IndentSize = 2,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new IsoDateConverter(), new JsonStringEnumConverter(allowIntegerValues: false) },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipEmptyLists } },
        };
        options.MakeReadOnly();
        return options;
    }

    private static void SkipEmptyLists(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(ImmutableList<>))
            {
                property.ShouldSerialize = static (_, value) => value is ICollection { Count: > 0 };
            }
        }
    }

    /// <summary>A date as yyyy-MM-dd.</summary>
    private sealed class IsoDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"a date must be a string \"yyyy-MM-dd\", not a {reader.TokenType.ToString().ToLowerInvariant()}");
            }

            var text = reader.GetString() ?? string.Empty;
            var result = LocalDatePattern.Iso.Parse(text);
            return result.Success
                ? result.Value
                : throw new JsonException($"\"{text}\" is not a date; write it as yyyy-MM-dd, e.g. 2026-01-31");
        }

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
            writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
    }
}
