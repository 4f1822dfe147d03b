using System.Globalization;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;
using NodaTime;

namespace Cst.Actors.Domain.Billing;

/// <summary>
/// The preview rule: what a year will cost an ente, from what is recorded on the day of the preview. It is the figure
/// the ente commits in its budget, so it assumes nothing that has not been recorded:
/// <list type="bullet">
/// <item>every service active today stays active to 31 December, and (for the next year) renews on 1 January and runs
/// the whole year: annual services end only by a recorded disdetta, cessation or withdrawal (a disdetta received this
/// year ends the service on 1 January, so it is not in next year's preview);</item>
/// <item>recorded future events (an activation, a quantity change, a cessation dated ahead) count as recorded;</item>
/// <item>consumption (SMS, Global Service days) counts only as recorded: none is guessed;</item>
/// <item>the membership quota uses the population at 1 January of the year; while it is not yet recorded (a preview of
/// next year), the latest recorded population before it, and the quota line says so.</item>
/// </list>
/// For a year that is over, a preview is simply the statement of the recorded history. Hence a preview equals the final
/// run of the same year whenever nothing is recorded in between.
/// </summary>
public static class PreviewProjection
{
    /// <summary>The latest year a preview may be made for on <paramref name="today"/>: the next year.</summary>
    public static int LatestYear(LocalDate today) => today.Year + 1;

    /// <summary>The history as the preview bills it: the population of <paramref name="year"/> filled in when missing.</summary>
    public static (EnteHistory History, int? PopulationFrom) Project(EnteHistory history, int year)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Population.Any(p => p.Year == year))
        {
            return (history, null);
        }

        var latest = history.Population.Where(p => p.Year < year).OrderByDescending(p => p.Year).FirstOrDefault();
        return latest is null
            ? (history, null)
            : (history with { Population = history.Population.Add(new PopulationCount(year, latest.Inhabitants)) }, latest.Year);
    }

    /// <summary>The preview statement of <paramref name="year"/> (see the rule above).</summary>
    public static Statement Compute(Listino listino, EnteHistory history, int year)
    {
        var (projected, from) = Project(history, year);
        var statement = StatementCalculator.Compute(listino, projected, year);
        if (from is not { } fromYear)
        {
            return statement;
        }

        var note = string.Create(CultureInfo.InvariantCulture,
            $"popolazione al 1° gennaio {year} non ancora registrata: stimata su quella del {fromYear}");
        return statement with
        {
            Lines = [.. statement.Lines.Select(l => l.ServiceId == StatementCalculator.MembershipServiceId
                ? l with { Note = string.IsNullOrEmpty(l.Note) ? note : l.Note + "; " + note }
                : l)],
        };
    }
}
