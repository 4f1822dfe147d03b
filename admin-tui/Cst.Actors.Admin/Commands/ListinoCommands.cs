using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// <c>cst listino ...</c>: the listini held by the cluster and their versions. Each verb takes values already parsed
/// and writes a table (or JSON) to <paramref name="output"/>, returning the exit code; errors are thrown as the rest
/// of command mode throws them (<see cref="InputException"/> for bad input, grain errors as they come).
/// </summary>
public sealed class ListinoCommands(TextWriter output)
{
    public const string Usage =
        """
          listino list                          the listini and their versions (date, status, act)
          listino show ID [--version V]         a listino's versions, or the tariffs of version V
          listino load FILE.yaml --act "..."    load the versions of a YAML file as drafts (a new listino too)
          listino diff ID V1 V2                 tariffs added, removed and changed from V1 to V2
          listino adopt ID V                    adopt draft V: it prices statements from its effective date
          listino impact ID V --year Y [--format csv|json] [--out FILE]
                                                every ente's preview of year Y under the listino in force and
                                                with V adopted: per ente, per service, total (writes nothing)
        """;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public async Task<int> ListAsync(AdminSession session, bool json)
    {
        ArgumentNullException.ThrowIfNull(session);
        var catalogue = session.Grains.GetGrain<ICatalogueGrain>(ICatalogueGrain.Key);
        var ids = await session.CallAsync("listing the listini", () => catalogue.GetListinoIdsAsync());
        var summaries = new List<ListinoSummary>();
        foreach (var id in ids)
        {
            summaries.Add(await Summary(session, id));
        }

        if (json)
        {
            WriteJson(new JsonArray([.. summaries.Select(s => (JsonNode)SummaryJson(s))]));
            return CommandMode.ExitOk;
        }

        Table(["LISTINO", "VERSION", "FROM", "STATUS", "SERVICES", "ACT"],
            summaries.SelectMany(s => s.Versions.Select(v => new[]
            {
                s.Id, v.Version, Input.Date(v.EffectiveFrom), Status(v.Status), v.Services.ToString(CultureInfo.InvariantCulture), v.Act,
            })));
        return CommandMode.ExitOk;
    }

    public async Task<int> ShowAsync(AdminSession session, string listinoId, string? version, bool json)
    {
        ArgumentNullException.ThrowIfNull(session);
        var summary = await Summary(session, listinoId);
        if (version is null)
        {
            if (json)
            {
                WriteJson(SummaryJson(summary));
                return CommandMode.ExitOk;
            }

            output.WriteLine($"{summary.Id}: {summary.Name}");
            foreach (var v in summary.Versions)
            {
                output.WriteLine($"  {v.Version}  from {Input.Date(v.EffectiveFrom)}  {Status(v.Status)}  act: {v.Act}");
                output.WriteLine($"      loaded by {v.LoadedBy} at {v.LoadedAt} from {v.SourceFile}"
                    + (v.AdoptedAt is { } at ? $"; adopted by {v.AdoptedBy} at {at}" : string.Empty));
            }

            return CommandMode.ExitOk;
        }

        var grain = session.Grains.GetGrain<IListinoGrain>(listinoId);
        var held = await session.CallAsync($"reading version {version} of listino {listinoId}", () => grain.GetVersionAsync(version));
        var info = summary.Versions.First(v => v.Version == version);
        var rows = CatalogueRows.Of(new Listino(listinoId, summary.Name, [held])).ToList();
        if (json)
        {
            var node = VersionJson(info);
            node["tariffs"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
            {
                ["service"] = r.Service, ["name"] = r.Name, ["charges"] = r.Charges,
            })]);
            WriteJson(node);
            return CommandMode.ExitOk;
        }

        output.WriteLine($"{listinoId} {version}: from {Input.Date(info.EffectiveFrom)}, {Status(info.Status)}, act: {info.Act}");
        Table(["SERVICE", "NAME", "CHARGES"], rows.Select(r => new[] { r.Service, r.Name, r.Charges }));
        return CommandMode.ExitOk;
    }

    public async Task<int> LoadAsync(AdminSession session, string file, string act, bool json)
    {
        ArgumentNullException.ThrowIfNull(session);
        FilePaths.CheckReadable(file);
        var text = await File.ReadAllTextAsync(file);
        var catalogue = session.Grains.GetGrain<ICatalogueGrain>(ICatalogueGrain.Key);
        var results = await session.CallAsync($"loading {file}",
            () => catalogue.LoadAsync(Path.GetFileName(file), text, act, session.Operator));
        if (json)
        {
            WriteJson(new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
            {
                ["listino"] = r.ListinoId, ["version"] = r.Version, ["outcome"] = Outcome(r.Outcome),
            })]));
            return CommandMode.ExitOk;
        }

        foreach (var r in results)
        {
            output.WriteLine(r.Outcome switch
            {
                ListinoLoadOutcome.Added => $"{r.ListinoId} {r.Version}: loaded as a draft (adopt it with: cst listino adopt {r.ListinoId} {r.Version})",
                ListinoLoadOutcome.Replaced => $"{r.ListinoId} {r.Version}: replaced, a draft again",
                _ => $"{r.ListinoId} {r.Version}: unchanged (already held with the same tariffs and act)",
            });
        }

        return CommandMode.ExitOk;
    }

    public async Task<int> DiffAsync(AdminSession session, string listinoId, string from, string to, bool json)
    {
        ArgumentNullException.ThrowIfNull(session);
        var grain = session.Grains.GetGrain<IListinoGrain>(listinoId);
        var changes = await session.CallAsync($"comparing versions {from} and {to} of listino {listinoId}", () => grain.DiffAsync(from, to));
        if (json)
        {
            WriteJson(new JsonArray([.. changes.Select(c => (JsonNode)new JsonObject
            {
                ["service"] = c.ServiceId, ["component"] = c.ComponentId, ["name"] = c.Name,
                ["change"] = c.Kind.ToString().ToLowerInvariant(),
                ["oldPrice"] = c.OldPrice?.Euros, ["newPrice"] = c.NewPrice?.Euros, ["old"] = c.Old, ["new"] = c.New,
            })]));
            return CommandMode.ExitOk;
        }

        if (changes.Count == 0)
        {
            output.WriteLine($"{listinoId}: versions {from} and {to} have the same tariffs.");
            return CommandMode.ExitOk;
        }

        output.WriteLine($"{listinoId}: from {from} to {to}, {changes.Count} tariff(s) differ");
        Table(["CHANGE", "SERVICE", "COMPONENT", "OLD EUR", "NEW EUR", "TERMS"],
            changes.Select(c => new[]
            {
                c.Kind.ToString().ToLowerInvariant(), c.ServiceId, c.ComponentId,
                c.OldPrice is { } o ? Input.Euro(o) : "-", c.NewPrice is { } n ? Input.Euro(n) : "-",
                c.Kind == TariffChangeKind.Changed ? $"{c.Old} -> {c.New}" : c.New ?? c.Old ?? string.Empty,
            }));
        return CommandMode.ExitOk;
    }

    public async Task<int> AdoptAsync(AdminSession session, string listinoId, string version, bool json)
    {
        ArgumentNullException.ThrowIfNull(session);
        var grain = session.Grains.GetGrain<IListinoGrain>(listinoId);
        var changed = await session.CallAsync($"adopting version {version} of listino {listinoId}", () => grain.AdoptAsync(version, session.Operator));
        var info = (await Summary(session, listinoId)).Versions.First(v => v.Version == version);
        if (json)
        {
            var node = VersionJson(info);
            node["changed"] = changed;
            WriteJson(node);
            return CommandMode.ExitOk;
        }

        output.WriteLine(changed
            ? $"{listinoId} {version}: adopted; it prices statements from {Input.Date(info.EffectiveFrom)} (act: {info.Act})"
            : $"{listinoId} {version}: already adopted, in force from {Input.Date(info.EffectiveFrom)}");
        return CommandMode.ExitOk;
    }

    /// <summary>
    /// Every ente's preview statement of <paramref name="year"/> on the listino, under the versions in force and with
    /// <paramref name="version"/> adopted, computed here by the pricing core from each ente's billing history. Reads only.
    /// </summary>
    public async Task<int> ImpactAsync(AdminSession session, string listinoId, string version, int year, string format, string? outFile)
    {
        ArgumentNullException.ThrowIfNull(session);
        var listino = session.Grains.GetGrain<IListinoGrain>(listinoId);
        var current = await session.CallAsync($"reading listino {listinoId}", () => listino.GetInForceAsync());
        var proposed = await session.CallAsync($"reading listino {listinoId} with {version} adopted", () => listino.GetWithAdoptedAsync(version));
        var directory = session.Grains.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key);
        var entries = await session.CallAsync("listing the enti", () => directory.ListAsync());
        var histories = new List<(string, string, EnteHistory)>();
        foreach (var chunk in entries.Chunk(16))
        {
            var read = await Task.WhenAll(chunk.Select(async e => (e.EnteId, e.Name,
                await session.CallAsync($"reading ente {e.EnteId}", () => session.Grains.GetGrain<IEnteGrain>(e.EnteId).GetBillingHistoryAsync()))));
            histories.AddRange(read);
        }

        var impact = ListinoImpact.Compute(current, proposed, version, year, histories);
        var text = format switch
        {
            "csv" => impact.ToCsv(),
            "json" => impact.ToJson(),
            _ => null,
        };
        if (text is not null)
        {
            if (outFile is null)
            {
                output.Write(text);
            }
            else
            {
                if (Directory.Exists(outFile))
                {
                    throw new InputException($"{outFile} is a directory, not a file");
                }

                await FilePaths.WritingAsync(outFile, async () =>
                {
                    await File.WriteAllBytesAsync(outFile, BillingExport.ToFileBytes(text, byteOrderMark: format == "csv"));
                    return true;
                });
                output.WriteLine(outFile);
            }

            return CommandMode.ExitOk;
        }

        output.WriteLine(FormattableString.Invariant(
            $"{listinoId}: preview of {year} for {impact.Enti.Count} enti, in force vs with {version} adopted"));
        Table(["ENTE", "NAME", "CURRENT", "PROPOSED", "DIFFERENCE", "%"], impact.Enti.Select(e => new[]
        {
            e.EnteId, e.Name, Input.Euro(e.Current), Input.Euro(e.Proposed), Input.Euro(e.Difference),
            e.Percent is { } p ? p.ToString("0.00", CultureInfo.InvariantCulture) : "-",
        }));
        output.WriteLine();
        Table(["SERVICE", "NAME", "CURRENT", "PROPOSED", "DIFFERENCE"], impact.ByService.Select(r => new[]
        {
            r.ServiceId, r.Name, Input.Euro(r.Current), Input.Euro(r.Proposed), Input.Euro(r.Difference),
        }));
        output.WriteLine($"TOTAL EUR {Input.Euro(impact.Current)} -> {Input.Euro(impact.Proposed)} ({Input.Euro(impact.Difference)})");
        foreach (var failure in impact.Failures)
        {
            output.WriteLine($"not previewed: ente {failure.EnteId}: {failure.Reason}");
        }

        return CommandMode.ExitOk;
    }

    private static Task<ListinoSummary> Summary(AdminSession session, string listinoId)
    {
        var grain = session.Grains.GetGrain<IListinoGrain>(listinoId);
        return session.CallAsync($"reading listino {listinoId}", () => grain.GetSummaryAsync());
    }

    private static string Status(ListinoVersionStatus status) => status == ListinoVersionStatus.Adopted ? "adopted" : "draft";

    private static string Outcome(ListinoLoadOutcome outcome) => outcome.ToString().ToLowerInvariant();

    private static JsonObject SummaryJson(ListinoSummary s) => new()
    {
        ["id"] = s.Id,
        ["name"] = s.Name,
        ["versions"] = new JsonArray([.. s.Versions.Select(v => (JsonNode)VersionJson(v))]),
    };

    private static JsonObject VersionJson(ListinoVersionInfo v) => new()
    {
        ["version"] = v.Version,
        ["effectiveFrom"] = Input.Date(v.EffectiveFrom),
        ["status"] = Status(v.Status),
        ["act"] = v.Act,
        ["sourceFile"] = v.SourceFile,
        ["loadedBy"] = v.LoadedBy,
        ["loadedAt"] = v.LoadedAt.ToString(),
        ["adoptedBy"] = v.AdoptedBy,
        ["adoptedAt"] = v.AdoptedAt?.ToString(),
        ["services"] = v.Services,
    };

    private void WriteJson(JsonNode node) => output.WriteLine(node.ToJsonString(JsonOptions));

    private void Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = header.Select((h, i) => Math.Min(48, Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length)))).ToArray();
        void Line(string[] cells) => output.WriteLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : Fit(c, widths[i]))).TrimEnd());
        Line(header);
        foreach (var row in all)
        {
            Line(row);
        }
    }

    private static string Fit(string text, int width) => text.Length > width ? text[..(width - 1)] + "~" : text.PadRight(width);
}
