using Cst.Actors.Domain.Deadlines;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Domain.Tests.Deadlines;

/// <summary>ISO dates in tables: attributes cannot hold a LocalDate.</summary>
internal static class TestDates
{
    public static LocalDate D(string iso) => LocalDatePattern.Iso.Parse(iso).Value;

    public static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>"Kind yyyy-MM-dd|Kind yyyy-MM-dd": a whole list compared in one readable line.</summary>
    public static string Flat(IEnumerable<Deadline> deadlines) =>
        string.Join('|', deadlines.Select(d => $"{d.Kind} {Iso(d.Due)}"));
}
