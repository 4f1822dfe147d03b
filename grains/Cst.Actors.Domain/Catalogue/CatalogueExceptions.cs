using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Domain.Catalogue;

/// <summary>
/// A listino file that cannot be loaded. The message names the file, the line and the field, so whoever edits
/// the YAML can go straight to the mistake.
/// </summary>
public abstract class ListinoLoadException : DomainException
{
    protected ListinoLoadException(string file, long line, string field, string problem)
        : base(Format(file, line, field, problem))
    {
        File = file;
        Line = line;
        Field = field;
    }

    protected ListinoLoadException(string file, long line, string field, string problem, Exception inner)
        : base(Format(file, line, field, problem), inner)
    {
        File = file;
        Line = line;
        Field = field;
    }

    public string File { get; }

    /// <summary>1-based line of the offending node, as an editor shows it.</summary>
    public long Line { get; }

    /// <summary>Path of the offending field, e.g. <c>versions[0].services[4].components[1].price</c>.</summary>
    public string Field { get; }

    private static string Format(string file, long line, string field, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"{file}, line {line}, field '{field}': {problem}");
}

/// <summary>The text is not well-formed YAML (bad indentation, unclosed quote, duplicate key...).</summary>
public sealed class ListinoSyntaxException(string file, long line, string field, string problem, Exception inner)
    : ListinoLoadException(file, line, field, problem, inner);

/// <summary>A required field is absent.</summary>
public sealed class ListinoMissingFieldException(string file, long line, string field, string problem)
    : ListinoLoadException(file, line, field, problem);

/// <summary>A field the format does not know (often a typo), or one that makes no sense for the charge kind.</summary>
public sealed class ListinoUnexpectedFieldException(string file, long line, string field, string problem)
    : ListinoLoadException(file, line, field, problem);

/// <summary>A field whose value is malformed or out of range: a negative price, a fraction of a cent, a bad date.</summary>
public sealed class ListinoInvalidValueException(string file, long line, string field, string problem)
    : ListinoLoadException(file, line, field, problem);

/// <summary>A charge kind the engine does not know.</summary>
public sealed class UnknownChargeKindException(string file, long line, string field, string problem)
    : ListinoLoadException(file, line, field, problem);

/// <summary>Two services, components or versions with the same id.</summary>
public sealed class DuplicateCatalogueIdException(string file, long line, string field, string problem)
    : ListinoLoadException(file, line, field, problem);

/// <summary>Versions not in increasing order of effective-from date, or two versions effective on the same day.</summary>
public sealed class ListinoVersionOrderException(string file, long line, string field, string problem)
    : ListinoLoadException(file, line, field, problem);

/// <summary>A date before the first version of a listino: no tariff was in force.</summary>
public sealed class NoVersionInForceException(string listinoId, LocalDate date)
    : DomainException($"Listino '{listinoId}' has no version in force on {LocalDatePattern.Iso.Format(date)}.")
{
    public string ListinoId { get; } = listinoId;

    public LocalDate Date { get; } = date;
}

/// <summary>A listino id that the catalogue does not hold.</summary>
public sealed class UnknownListinoException(string listinoId)
    : DomainException($"The catalogue has no listino '{listinoId}'.")
{
    public string ListinoId { get; } = listinoId;
}

/// <summary>A version id that the listino does not hold.</summary>
public sealed class UnknownListinoVersionException(string listinoId, string versionId)
    : DomainException($"Listino '{listinoId}' has no version '{versionId}'.");

/// <summary>A version that a final billing run has priced statements with: it can never change; load a new version instead.</summary>
public sealed class ListinoVersionInUseException(string listinoId, string versionId)
    : DomainException($"Version '{versionId}' of listino '{listinoId}' has priced statements of a final billing run and "
        + "can never change: load the correction as a new version (another id and effective_from).");

/// <summary>Two adopted versions of a listino taking effect on the same day.</summary>
public sealed class ListinoVersionClashException(string message) : DomainException(message);

/// <summary>A file loaded into the wrong listino, or loaded without its act.</summary>
public sealed class ListinoMismatchException(string message) : DomainException(message);
