using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using NodaTime.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cst.Actors.Domain.Catalogue;

/// <summary>
/// Reads listini from YAML (format in <c>Catalogue/FORMAT.md</c>) and checks them completely at load, so that a
/// mistake in a file stops the loading with a message naming file, line and field rather than surfacing later
/// as a wrong bill. Several files may carry versions of the same listino (same <c>listino</c> id); they are merged.
/// </summary>
public static class ListinoLoader
{
    private const string ResourcePrefix = "Listini/";
    private const string OnQuotation = "on-quotation";

    private static readonly Dictionary<string, ChargeKind> Kinds = new(StringComparer.Ordinal)
    {
        ["one-off"] = ChargeKind.OneOff,
        ["annual"] = ChargeKind.AnnualProRata,
        ["annual-full-year"] = ChargeKind.AnnualFullYear,
        ["from-second-year"] = ChargeKind.FromSecondYear,
        ["first-year"] = ChargeKind.FirstYear,
        ["monthly"] = ChargeKind.Monthly,
        ["consumption"] = ChargeKind.Consumption,
        ["included"] = ChargeKind.Included,
        ["renewal"] = ChargeKind.Renewal,
    };

    /// <summary>The listini shipped inside this assembly (<c>Catalogue/Listini/*.yaml</c>).</summary>
    public static PriceCatalogue LoadShipped() => LoadFiles(ShippedFiles());

    /// <summary>
    /// The shipped files as (file name, YAML text), in name order: the examples of the format, and what an empty
    /// database is seeded with (the cluster prices with the versions it holds, not with these).
    /// </summary>
    public static IReadOnlyList<(string FileName, string Text)> ShippedFiles()
    {
        var assembly = typeof(ListinoLoader).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => (name[ResourcePrefix.Length..], ReadResource(assembly, name)))];
    }

    /// <summary>Loads a set of files given as (file name, YAML text) and merges them into listini.</summary>
    public static PriceCatalogue LoadFiles(IEnumerable<(string FileName, string Text)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var byId = new Dictionary<string, (string Name, List<ListinoVersion> Versions)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (fileName, text) in files)
        {
            var parsed = ParseFile(fileName, text);
            if (!byId.TryGetValue(parsed.Id, out var entry))
            {
                entry = (parsed.Name, []);
                byId[parsed.Id] = entry;
                order.Add(parsed.Id);
            }

            foreach (var version in parsed.Versions)
            {
                var clash = entry.Versions.FirstOrDefault(v => v.Id == version.Id || v.EffectiveFrom == version.EffectiveFrom);
                if (clash is not null)
                {
                    throw new ListinoVersionOrderException(fileName, 1, "versions",
                        $"version '{version.Id}' of listino '{parsed.Id}' clashes with version '{clash.Id}' "
                        + $"(same id or same effective_from) in {clash.SourceFile}.");
                }

                entry.Versions.Add(version);
            }
        }

        return new PriceCatalogue([
            .. order.Select(id => new Listino(id, byId[id].Name, [.. byId[id].Versions.OrderBy(v => v.EffectiveFrom)])),
        ]);
    }

    /// <summary>Parses one file into a listino holding the versions written in it.</summary>
    public static Listino ParseFile(string fileName, string text)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ListinoSyntaxException(fileName, e.Start.Line, "(document)", "not valid YAML: " + e.Message, e);
        }

        if (stream.Documents.Count != 1)
        {
            throw new ListinoMissingFieldException(fileName, 1, "(document)", "expected exactly one YAML document.");
        }

        var root = new YamlFields(fileName, "", stream.Documents[0].RootNode, "listino", "name", "versions");
        var id = root.RequiredString("listino");
        var name = root.RequiredString("name");
        var versionNodes = root.Sequence("versions", required: true);
        var versions = new List<ListinoVersion>();
        for (var i = 0; i < versionNodes.Count; i++)
        {
            var version = ParseVersion(fileName, $"versions[{i}]", versionNodes[i]);
            if (versions.Count > 0 && versions[^1].EffectiveFrom >= version.EffectiveFrom)
            {
                throw new ListinoVersionOrderException(fileName, YamlFields.LineOf(versionNodes[i]),
                    $"versions[{i}].effective_from",
                    $"version '{version.Id}' is effective from {LocalDatePattern.Iso.Format(version.EffectiveFrom)}, "
                    + $"not after the previous version '{versions[^1].Id}' "
                    + $"({LocalDatePattern.Iso.Format(versions[^1].EffectiveFrom)}); list versions from oldest to newest.");
            }

            if (versions.Any(v => v.Id == version.Id))
            {
                throw new DuplicateCatalogueIdException(fileName, YamlFields.LineOf(versionNodes[i]),
                    $"versions[{i}].version", $"version id '{version.Id}' appears twice.");
            }

            versions.Add(version);
        }

        if (versions.Count == 0)
        {
            throw new ListinoMissingFieldException(fileName, root.Line, "versions", "a listino needs at least one version.");
        }

        return new Listino(id, name, [.. versions]);
    }

    private static ListinoVersion ParseVersion(string file, string path, YamlNode node)
    {
        var f = new YamlFields(file, path, node,
            "version", "effective_from", "adopted_by", "month_counting", "membership_quota", "services", "pec_mailbox", "note");
        var id = f.RequiredString("version");
        var effectiveFrom = f.RequiredDate("effective_from");
        var adoptedBy = f.RequiredString("adopted_by");
        var counting = f.RequiredString("month_counting") switch
        {
            "more-than-half" => MonthCounting.MoreThanHalf,
            "any-day" => MonthCounting.AnyDay,
            var other => throw f.Invalid("month_counting", $"'{other}' is not a month counting convention (use more-than-half or any-day)."),
        };
        var quota = f.TryGet("membership_quota", out var quotaNode)
            ? ParseQuota(file, f.Child("membership_quota"), quotaNode)
            : null;

        var serviceNodes = f.Sequence("services", required: true);
        var services = new List<CatalogueService>();
        for (var i = 0; i < serviceNodes.Count; i++)
        {
            var servicePath = $"{f.Child("services")}[{i}]";
            var service = ParseService(file, servicePath, serviceNodes[i]);
            if (services.Any(s => s.Id == service.Id))
            {
                throw new DuplicateCatalogueIdException(file, YamlFields.LineOf(serviceNodes[i]), servicePath + ".id",
                    $"service id '{service.Id}' appears twice in version '{id}'.");
            }

            services.Add(service);
        }

        var pec = f.TryGet("pec_mailbox", out var pecNode)
            ? ParsePecMailbox(file, f.Child("pec_mailbox"), pecNode, id, services)
            : null;
        return new ListinoVersion(id, effectiveFrom, adoptedBy, counting, quota, [.. services], file) { PecMailbox = pec };
    }

    /// <summary>
    /// The version's PEC mailbox service: a service of the same version, and its tiers, each a variant of that service
    /// (or, for a service without variants, a single tier without one).
    /// </summary>
    private static PecMailboxService ParsePecMailbox(string file, string path, YamlNode node, string versionId,
        List<CatalogueService> services)
    {
        var f = new YamlFields(file, path, node, "service", "tiers", "note");
        var serviceId = f.RequiredString("service");
        var service = services.FirstOrDefault(s => s.Id == serviceId)
            ?? throw f.Invalid("service", $"service '{serviceId}' is not in version '{versionId}'; "
                + $"known services: {string.Join(", ", services.Select(s => s.Id))}.");
        var tierNodes = f.Sequence("tiers", required: true);
        var tiers = new List<PecTier>();
        for (var i = 0; i < tierNodes.Count; i++)
        {
            var t = new YamlFields(file, $"{f.Child("tiers")}[{i}]", tierNodes[i], "tier", "variant");
            var name = t.RequiredString("tier");
            var variant = t.OptionalString("variant");
            if (service.Variants.IsDefaultOrEmpty)
            {
                if (variant is not null)
                {
                    throw t.Invalid("variant", $"service '{serviceId}' has no variants, so tier '{name}' cannot be variant '{variant}'; "
                        + "leave 'variant' out: the tier is priced by the service itself.");
                }

                if (tierNodes.Count > 1)
                {
                    throw f.Invalid("tiers", $"service '{serviceId}' has no variants, so it can have a single tier, not {tierNodes.Count}.");
                }
            }
            else if (variant is null)
            {
                throw new ListinoMissingFieldException(file, t.Line, t.Child("variant"),
                    $"tier '{name}' needs the variant of service '{serviceId}' that prices it ({string.Join(", ", service.Variants)}).");
            }
            else if (!service.Variants.Contains(variant))
            {
                throw t.Invalid("variant", $"tier '{name}' is variant '{variant}', which service '{serviceId}' does not declare "
                    + $"(its variants: {string.Join(", ", service.Variants)}).");
            }

            if (tiers.Any(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase) || (variant is not null && x.Variant == variant)))
            {
                throw new DuplicateCatalogueIdException(file, t.Line, t.Child("tier"),
                    $"tier '{name}' (variant '{variant}') repeats another tier's name or variant.");
            }

            tiers.Add(new PecTier(name, variant));
        }

        if (tiers.Count == 0)
        {
            throw new ListinoMissingFieldException(file, f.Line, f.Child("tiers"), "the PEC mailbox service needs at least one tier.");
        }

        return new PecMailboxService(serviceId, [.. tiers]);
    }

    private static MembershipQuota ParseQuota(string file, string path, YamlNode node)
    {
        var f = new YamlFields(file, path, node, "section", "bands", "flat_above", "flat_amount", "note");
        var bandNodes = f.Sequence("bands", required: true);
        var bands = new List<PopulationBand>();
        for (var i = 0; i < bandNodes.Count; i++)
        {
            var b = new YamlFields(file, $"{f.Child("bands")}[{i}]", bandNodes[i], "from", "to", "per_inhabitant");
            var from = b.OptionalInt("from") ?? throw new ListinoMissingFieldException(file, b.Line, b.Child("from"), "required field 'from' is missing.");
            var to = b.OptionalInt("to");
            var rate = b.OptionalPrice("per_inhabitant")
                ?? throw new ListinoMissingFieldException(file, b.Line, b.Child("per_inhabitant"), "required field 'per_inhabitant' is missing.");
            if (from < 1 || (to is { } upper && upper < from))
            {
                throw b.Invalid("from", "a band needs 1 <= from <= to.");
            }

            var expectedFrom = bands.Count == 0 ? 1 : bands[^1].To + 1;
            if (from != expectedFrom)
            {
                throw b.Invalid("from", $"bands must follow each other without gaps or overlaps: expected from {expectedFrom}.");
            }

            bands.Add(new PopulationBand(from, to, rate));
        }

        var flatAbove = f.OptionalInt("flat_above");
        var flatAmount = f.OptionalPrice("flat_amount");
        if (flatAbove.HasValue != flatAmount.HasValue)
        {
            throw new ListinoMissingFieldException(file, f.Line, f.Child(flatAbove.HasValue ? "flat_amount" : "flat_above"),
                "flat_above and flat_amount go together.");
        }

        return new MembershipQuota([.. bands], flatAbove, flatAmount, f.RequiredString("section"), f.OptionalString("note"));
    }

    private static CatalogueService ParseService(string file, string path, YamlNode node)
    {
        var f = new YamlFields(file, path, node, "id", "name", "section", "variants", "components", "note");
        var id = f.RequiredString("id");
        var name = f.RequiredString("name");
        var section = f.RequiredString("section");
        var variants = f.StringList("variants");
        if (variants.Distinct(StringComparer.Ordinal).Count() != variants.Count)
        {
            throw new DuplicateCatalogueIdException(file, f.LineOfField("variants"), f.Child("variants"),
                $"service '{id}' lists a variant twice.");
        }

        var componentNodes = f.Sequence("components", required: true);
        var components = new List<ChargeComponent>();
        for (var i = 0; i < componentNodes.Count; i++)
        {
            var componentPath = $"{f.Child("components")}[{i}]";
            var component = ParseComponent(file, componentPath, componentNodes[i], section, variants);
            if (components.Any(c => c.Id == component.Id))
            {
                throw new DuplicateCatalogueIdException(file, YamlFields.LineOf(componentNodes[i]), componentPath + ".id",
                    $"component id '{component.Id}' appears twice in service '{id}'.");
            }

            components.Add(component);
        }

        if (components.Count == 0)
        {
            throw new ListinoMissingFieldException(file, f.Line, f.Child("components"), $"service '{id}' has no components.");
        }

        var service = new CatalogueService(id, name, section, [.. variants], [.. components]);

        // A subscription carries a single agreed price and a single renewal history, so each variant may have at
        // most one on-quotation component and at most one renewal component.
        IEnumerable<string?> choices = variants.Count == 0 ? [null] : variants.Select(v => (string?)v);
        foreach (var variant in choices)
        {
            var applicable = service.ComponentsFor(variant).ToList();
            if (applicable.Count(c => c.OnQuotation) > 1 || applicable.Count(c => c.Kind == ChargeKind.Renewal) > 1)
            {
                throw new ListinoInvalidValueException(file, f.Line, f.Child("components"),
                    $"service '{id}'{(variant is null ? "" : $" variant '{variant}'")} has more than one on-quotation "
                    + "or renewal component; a subscription can carry only one of each.");
            }
        }

        return service;
    }

    private static ChargeComponent ParseComponent(
        string file, string path, YamlNode node, string serviceSection, IReadOnlyList<string> serviceVariants)
    {
        var f = new YamlFields(file, path, node,
            "id", "name", "kind", "price", "per", "unit", "block", "free_units", "validity_years", "variants", "section", "note");
        var id = f.RequiredString("id");
        var name = f.RequiredString("name");
        var kindText = f.RequiredString("kind");
        if (!Kinds.TryGetValue(kindText, out var kind))
        {
            throw new UnknownChargeKindException(file, f.LineOfField("kind"), f.Child("kind"),
                $"unknown charge kind '{kindText}' (known: {string.Join(", ", Kinds.Keys)}).");
        }

        Money? price = null;
        var onQuotation = false;
        if (kind == ChargeKind.Included)
        {
            if (f.Has("price"))
            {
                throw new ListinoUnexpectedFieldException(file, f.LineOfField("price"), f.Child("price"),
                    "an included component carries no price (it is shown at EUR 0.00).");
            }
        }
        else if (f.OptionalString("price") == OnQuotation)
        {
            onQuotation = true;
        }
        else
        {
            price = f.OptionalPrice("price")
                ?? throw new ListinoMissingFieldException(file, f.Line, f.Child("price"),
                    $"component '{id}' of kind '{kindText}' needs a price (a number of euros or '{OnQuotation}').");
        }

        var basis = f.OptionalString("per") switch
        {
            null => kind == ChargeKind.Consumption ? QuantityBasis.PerUnit : QuantityBasis.Flat,
            "unit" => QuantityBasis.PerUnit,
            "block" => QuantityBasis.PerStartedBlock,
            var other => throw f.Invalid("per", $"'{other}' is not a quantity basis (use unit or block, or omit for a flat price)."),
        };
        if (kind is ChargeKind.Consumption or ChargeKind.Included && basis == QuantityBasis.PerStartedBlock)
        {
            throw f.Invalid("per", $"a '{kindText}' component cannot be charged per block.");
        }

        var block = f.OptionalDecimal("block");
        if (basis == QuantityBasis.PerStartedBlock && block is null)
        {
            throw new ListinoMissingFieldException(file, f.Line, f.Child("block"), "'per: block' needs the block size in 'block'.");
        }

        if (basis != QuantityBasis.PerStartedBlock && block is not null)
        {
            throw new ListinoUnexpectedFieldException(file, f.LineOfField("block"), f.Child("block"), "'block' needs 'per: block'.");
        }

        if (block is <= 0)
        {
            throw f.Invalid("block", "the block size must be positive.");
        }

        var free = f.OptionalDecimal("free_units") ?? 0m;
        if (free < 0)
        {
            throw f.Invalid("free_units", "the free allowance cannot be negative.");
        }

        if (free > 0 && basis == QuantityBasis.Flat)
        {
            throw new ListinoUnexpectedFieldException(file, f.LineOfField("free_units"), f.Child("free_units"),
                "a free allowance needs 'per: unit' or 'per: block'.");
        }

        var validity = f.OptionalInt("validity_years");
        if (validity is not null && kind != ChargeKind.Renewal)
        {
            throw new ListinoUnexpectedFieldException(file, f.LineOfField("validity_years"), f.Child("validity_years"),
                "'validity_years' belongs to a renewal component.");
        }

        if (validity is 0)
        {
            throw f.Invalid("validity_years", "the validity must be at least one year.");
        }

        var variants = f.StringList("variants");
        foreach (var variant in variants)
        {
            if (!serviceVariants.Contains(variant))
            {
                throw f.Invalid("variants", $"variant '{variant}' is not declared in the service's 'variants' list.");
            }
        }

        return new ChargeComponent(id, name, kind, price, onQuotation, basis, f.OptionalString("unit"), block ?? 1m, free,
            validity, [.. variants], f.OptionalString("section") ?? serviceSection, f.OptionalString("note"));
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Missing resource {name}."));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
