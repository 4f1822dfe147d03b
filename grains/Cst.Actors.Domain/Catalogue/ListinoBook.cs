using System.Collections.Immutable;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Domain.Catalogue;

/// <summary>A version is loaded as a draft, which prices nothing; once adopted it is in force from its date.</summary>
public enum ListinoVersionStatus
{
    Draft,
    Adopted,
}

/// <summary>
/// A version of a listino as the CST holds it: the tariffs (<see cref="Version"/>, parsed from <see cref="SourceText"/>,
/// the whole file it was loaded from), the act that adopted it, who loaded it and when, and its status.
/// </summary>
public sealed record HeldListinoVersion(
    ListinoVersion Version,
    string Act,
    ListinoVersionStatus Status,
    string SourceFile,
    string SourceText,
    string LoadedBy,
    Instant LoadedAt)
{
    public string? AdoptedByOperator { get; init; }

    public Instant? AdoptedAt { get; init; }

    public string Id => Version.Id;

    /// <summary>The tariffs and the act: two loads with the same fingerprint hold the same version.</summary>
    public string Fingerprint => ListinoDiff.Canonical(Version) + "act " + Act;
}

/// <summary>What loading a file did to one version it carries.</summary>
public enum ListinoLoadOutcome
{
    /// <summary>A new version, held as a draft.</summary>
    Added,

    /// <summary>The same tariffs and act were held already: nothing changed.</summary>
    Unchanged,

    /// <summary>A version not yet used by a final billing run was replaced; it is a draft again.</summary>
    Replaced,
}

/// <summary>
/// A listino and every version the CST holds of it, drafts included: the rules of loading and adopting versions
/// (DESIGN section 1, "Catalogue as data", and rule 13). Pure: the owner grain reads and writes the rows.
/// </summary>
public sealed record ListinoBook(string Id, string Name, ImmutableList<HeldListinoVersion> Versions)
{
    public static ListinoBook Empty(string id) => new(id, id, []);

    /// <summary>The adopted versions, which are what statements are priced with; each carries its act.</summary>
    public Listino InForce() =>
        new(Id, Name, [.. Versions.Where(v => v.Status == ListinoVersionStatus.Adopted)
            .OrderBy(v => v.Version.EffectiveFrom)
            .Select(v => v.Version with { AdoptedBy = v.Act })]);

    /// <summary>
    /// The adopted versions as they would be once <paramref name="versionId"/> is adopted too: what a draft would
    /// price, for comparing before adopting.
    /// </summary>
    public Listino WithAdopted(string versionId)
    {
        var draft = Get(versionId);
        CheckNoClash(draft);
        return new Listino(Id, Name, [.. Versions
            .Where(v => v.Id == versionId || v.Status == ListinoVersionStatus.Adopted)
            .OrderBy(v => v.Version.EffectiveFrom)
            .Select(v => v.Version with { AdoptedBy = v.Act })]);
    }

    public HeldListinoVersion Get(string versionId) =>
        Versions.FirstOrDefault(v => v.Id == versionId) ?? throw new UnknownListinoVersionException(Id, versionId);

    /// <summary>
    /// Loads the versions of one file: each new version is held as a draft; one held with the same tariffs and act is
    /// left alone (loading the same file twice changes nothing); one that differs replaces the held one as a draft,
    /// unless a final billing run has used it (<paramref name="usedByFinalRun"/>): a correction is a new version. The
    /// file is validated by <see cref="ListinoLoader"/>, whose errors name file, line and field.
    /// </summary>
    public (ListinoBook Book, ImmutableList<(string Version, ListinoLoadOutcome Outcome)> Outcomes) Load(
        string fileName, string text, string act, string loadedBy, Instant loadedAt, Func<string, bool> usedByFinalRun)
    {
        ArgumentNullException.ThrowIfNull(usedByFinalRun);
        var parsed = ListinoLoader.ParseFile(fileName, text);
        if (parsed.Id != Id)
        {
            throw new ListinoMismatchException($"{fileName} holds listino '{parsed.Id}', not '{Id}'.");
        }

        if (string.IsNullOrWhiteSpace(act))
        {
            throw new ListinoMismatchException($"Loading {fileName} needs the act that adopts its tariffs (e.g. \"Decreto del Presidente n. 45 del 12/10/2026\").");
        }

        var versions = Versions;
        var outcomes = new List<(string, ListinoLoadOutcome)>();
        foreach (var version in parsed.Versions)
        {
            var held = new HeldListinoVersion(version, act.Trim(), ListinoVersionStatus.Draft, fileName, text, loadedBy, loadedAt);
            var index = versions.FindIndex(v => v.Id == version.Id);
            if (index < 0)
            {
                versions = versions.Add(held);
                outcomes.Add((version.Id, ListinoLoadOutcome.Added));
                continue;
            }

            var existing = versions[index];
            if (existing.Fingerprint == held.Fingerprint)
            {
                outcomes.Add((version.Id, ListinoLoadOutcome.Unchanged));
                continue;
            }

            if (existing.Status == ListinoVersionStatus.Adopted && usedByFinalRun(version.Id))
            {
                throw new ListinoVersionInUseException(Id, version.Id);
            }

            versions = versions.SetItem(index, held);
            outcomes.Add((version.Id, ListinoLoadOutcome.Replaced));
        }

        var name = outcomes.Any(o => o.Item2 != ListinoLoadOutcome.Unchanged) || Versions.IsEmpty ? parsed.Name : Name;
        return (this with { Name = name, Versions = versions }, [.. outcomes]);
    }

    /// <summary>
    /// Adopts a draft: from now on it prices statements from its effective date. Adopting an adopted version changes
    /// nothing. Two adopted versions cannot take effect on the same day.
    /// </summary>
    public (ListinoBook Book, bool Changed) Adopt(string versionId, string adoptedBy, Instant adoptedAt)
    {
        var held = Get(versionId);
        if (held.Status == ListinoVersionStatus.Adopted)
        {
            return (this, false);
        }

        CheckNoClash(held);
        var adopted = held with { Status = ListinoVersionStatus.Adopted, AdoptedByOperator = adoptedBy, AdoptedAt = adoptedAt };
        return (this with { Versions = Versions.SetItem(Versions.IndexOf(held), adopted) }, true);
    }

    private void CheckNoClash(HeldListinoVersion held)
    {
        var clash = Versions.FirstOrDefault(v => v.Id != held.Id && v.Status == ListinoVersionStatus.Adopted
            && v.Version.EffectiveFrom == held.Version.EffectiveFrom);
        if (clash is not null)
        {
            throw new ListinoVersionClashException(
                $"Version '{held.Id}' of listino '{Id}' takes effect on {LocalDatePattern.Iso.Format(held.Version.EffectiveFrom)}, "
                + $"the same day as adopted version '{clash.Id}': give it another effective_from date.");
        }
    }
}
