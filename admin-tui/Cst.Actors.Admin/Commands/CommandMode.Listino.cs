using System.CommandLine;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Connection;

namespace Cst.Actors.Admin.Commands;

/// <summary><c>cst listino ...</c>: the verbs of the listini held by the cluster (<see cref="ListinoCommands"/> runs them).</summary>
public sealed partial class CommandMode
{
    private void AddListino(Command root)
    {
        var listino = Group(root, "listino", "the listini held by the cluster: list, show, load, diff, adopt, impact");
        var verbs = new ListinoCommands(output);
        static Argument<string> Id() => new("ID") { Description = "the listino (e.g. cst-padova)" };
        static Argument<string> Version(string name, string description) => new(name) { Description = description };

        Verb(listino, "list", "the listini and their versions (date, status, act)", [],
            p => s => verbs.ListAsync(s, Json(p)));

        var showId = Id();
        var showVersion = StrictCommandLine.Text("--version", "the tariffs of that version (default: its versions)", "V");
        Verb(listino, "show", "a listino's versions, or the tariffs of one version", [showId, showVersion],
            p => s => verbs.ShowAsync(s, p.GetValue(showId)!, p.GetValue(showVersion), Json(p)));

        var file = new Argument<string>("FILE") { Description = "a YAML listino file (FORMAT.md)" };
        var act = StrictCommandLine.Text("--act", "the act adopting the tariffs, e.g. \"Decreto del Presidente n. 45 del 12/10/2020\"", "TEXT");
        act.Required = true;
        Verb(listino, "load", "load the versions of a YAML file as drafts (a new listino too)", [file, act], p =>
        {
            var text = p.GetValue(act);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new InputException("listino load: --act must name the act adopting the tariffs.");
            }

            return s => verbs.LoadAsync(s, p.GetValue(file)!, text, Json(p));
        });

        var diffId = Id();
        var from = Version("V1", "the version compared from");
        var to = Version("V2", "the version compared to");
        Verb(listino, "diff", "tariffs added, removed and changed from V1 to V2", [diffId, from, to],
            p => s => verbs.DiffAsync(s, p.GetValue(diffId)!, p.GetValue(from)!, p.GetValue(to)!, Json(p)));

        var adoptId = Id();
        var adoptVersion = Version("V", "the draft version adopted");
        Verb(listino, "adopt", "adopt a draft: it prices statements from its effective date", [adoptId, adoptVersion],
            p => s => verbs.AdoptAsync(s, p.GetValue(adoptId)!, p.GetValue(adoptVersion)!, Json(p)));

        var impactId = Id();
        var impactVersion = Version("V", "the draft version whose impact is previewed");
        var year = Year("the year of the previews", required: true);
        var format = StrictCommandLine.Choice("--format", "text (default), csv or json", StringComparer.Ordinal, "text", "csv", "json");
        var outFile = StrictCommandLine.Text("--out", "the file written (default: stdout)", "FILE");
        Verb(listino, "impact", "every ente's preview of a year under the listino in force and with V adopted (writes nothing)",
            [impactId, impactVersion, year, format, outFile],
            p => s => verbs.ImpactAsync(s, p.GetValue(impactId)!, p.GetValue(impactVersion)!, p.GetValue(year)!.Value,
                Json(p) ? "json" : p.GetValue(format) ?? "text", p.GetValue(outFile)));
    }
}
