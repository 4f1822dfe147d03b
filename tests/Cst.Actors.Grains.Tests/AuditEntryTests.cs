using System.Globalization;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;

namespace Cst.Actors.Grains.Tests;

/// <summary>
/// The audit table's unique index on the change id grows at its end only if the ids of later changes sort after the
/// earlier ones, as PostgreSQL compares uuids (byte by byte in the order Npgsql sends them: the string's order).
/// </summary>
public sealed class AuditEntryTests
{
    [Fact]
    public void ChangeIds_AreTimeOrdered_LaterEntriesSortAfterEarlierOnes()
    {
        var ids = Enumerable.Range(0, 2_000)
            .Select(_ => new AuditEntry("import", Instant.FromUtc(2026, 12, 1, 0, 0), "pec:x@pec.example", "request", null, "after").ChangeId.ToString())
            .ToList();

        // UUID version 7: the first 48 bits are the milliseconds of its creation, never decreasing from one entry to the next.
        Assert.All(ids, id => Assert.Equal('7', id[14]));
        var stamps = ids.Select(id => long.Parse(id[..8] + id[9..13], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
