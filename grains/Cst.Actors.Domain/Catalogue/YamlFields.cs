using System.Globalization;
using NodaTime;
using NodaTime.Text;
using YamlDotNet.RepresentationModel;

namespace Cst.Actors.Domain.Catalogue;

/// <summary>
/// Reads the fields of one YAML mapping and turns every problem into a <see cref="ListinoLoadException"/> carrying
/// the file, the line of the node and the dotted path of the field. Also refuses unknown keys, so that a misspelt
/// field is reported instead of silently ignored.
/// </summary>
internal sealed class YamlFields
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _allowed;

    public YamlFields(string file, string path, YamlNode node, params string[] allowedKeys)
    {
        File = file;
        Path = path;
        if (node is not YamlMappingNode mapping)
        {
            throw new ListinoInvalidValueException(file, LineOf(node), path, "expected a mapping of 'key: value' fields.");
        }

        _node = mapping;
        _allowed = [.. allowedKeys];
        foreach (var key in mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!_allowed.Contains(name))
            {
                throw new ListinoUnexpectedFieldException(file, LineOf(key), Child(name),
                    $"unknown field '{name}' (allowed here: {string.Join(", ", allowedKeys)}).");
            }
        }
    }

    public string File { get; }

    public string Path { get; }

    public long Line => LineOf(_node);

    public static long LineOf(YamlNode node) => node.Start.Line;

    public string Child(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool Has(string key) => TryGet(key, out _);

    public bool TryGet(string key, out YamlNode node)
    {
        if (_node.Children.TryGetValue(new YamlScalarNode(key), out var found))
        {
            node = found;
            return true;
        }

        node = _node;
        return false;
    }

    public YamlNode Required(string key)
    {
        if (!TryGet(key, out var node))
        {
            throw new ListinoMissingFieldException(File, Line, Child(key), $"required field '{key}' is missing.");
        }

        return node;
    }

    public string RequiredString(string key) => Scalar(key, Required(key));

    public string? OptionalString(string key) => TryGet(key, out var node) ? Scalar(key, node) : null;

    public long LineOfField(string key) => TryGet(key, out var node) ? LineOf(node) : Line;

    public LocalDate RequiredDate(string key)
    {
        var text = RequiredString(key);
        var result = LocalDatePattern.Iso.Parse(text);
        if (!result.Success)
        {
            throw Invalid(key, $"'{text}' is not a date in the form yyyy-MM-dd.");
        }

        return result.Value;
    }

    public decimal? OptionalDecimal(string key)
    {
        if (!TryGet(key, out var node))
        {
            return null;
        }

        var text = Scalar(key, node);
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var value))
        {
            throw Invalid(key, $"'{text}' is not a number (use a point for decimals, no thousands separator).");
        }

        return value;
    }

    public int? OptionalInt(string key)
    {
        if (!TryGet(key, out var node))
        {
            return null;
        }

        var text = Scalar(key, node);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Invalid(key, $"'{text}' is not a whole non-negative number.");
        }

        return value;
    }

    /// <summary>A tariff: a non-negative number of euros with at most two decimals (no fractions of a cent).</summary>
    public Money? OptionalPrice(string key)
    {
        if (OptionalDecimal(key) is not { } value)
        {
            return null;
        }

        if (value < 0)
        {
            throw Invalid(key, $"a price cannot be negative ({value.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (decimal.Round(value, 2) != value)
        {
            throw Invalid(key,
                $"{value.ToString(CultureInfo.InvariantCulture)} is not a whole number of cents (at most two decimals).");
        }

        return Money.Euro(value);
    }

    public IReadOnlyList<YamlNode> Sequence(string key, bool required)
    {
        if (!TryGet(key, out var node))
        {
            if (required)
            {
                throw new ListinoMissingFieldException(File, Line, Child(key), $"required list '{key}' is missing.");
            }

            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Invalid(key, "expected a list (lines starting with '-').");
        }

        return sequence.Children.ToList();
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var items = Sequence(key, required: false);
        var result = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not YamlScalarNode { Value: { Length: > 0 } value })
            {
                throw new ListinoInvalidValueException(File, LineOf(items[i]), $"{Child(key)}[{i}]", "expected a name.");
            }

            result.Add(value);
        }

        return result;
    }

    public ListinoInvalidValueException Invalid(string key, string problem) =>
        new(File, LineOfField(key), Child(key), problem);

    private string Scalar(string key, YamlNode node)
    {
        if (node is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
        {
            throw new ListinoInvalidValueException(File, LineOf(node), Child(key), $"field '{key}' needs a plain value.");
        }

        return scalar.Value.Trim();
    }
}
