using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Pricing;

/// <summary>
/// Mailboxes on a custom, certified domain are priced by the pack (s.11: EUR 60/yr per started pack of 10), not one
/// by one: the pack is one subscription whose quantity on each day is the number of its member mailboxes active on
/// that day (DESIGN rule 7: a quantity change mid-year splits the year). Each mailbox keeps its own dates; this merges
/// them into the pack's subscription, which the calculator then prices like any other.
/// </summary>
public static class CustomDomainPack
{
    /// <summary>The id of the merged subscription of pack <paramref name="packId"/>.</summary>
    public static string SubscriptionId(string packId) => "pack:" + packId;

    /// <summary>
    /// The subscription of pack <paramref name="packId"/> from its member mailboxes' subscriptions (each with quantity 1,
    /// on the pack variant). Active from the first member's activation; ceases when the last member has ended, if all
    /// have. Members' own disdetta and cessation dates fix their end; the ente's withdrawal ends the pack as it ends any
    /// subscription.
    /// </summary>
    public static Subscription Merge(string packId, IReadOnlyCollection<Subscription> members)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(packId);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException($"Pack {packId} has no member mailboxes.", nameof(members));
        }

        var spans = members.Select(m => (Start: m.ActivatedOn, End: EndOf(m))).ToList();
        var first = members.OrderBy(m => m.ActivatedOn).First();
        var changeDays = spans.Select(s => s.Start).Concat(spans.Where(s => s.End is not null).Select(s => s.End!.Value))
            .Distinct().Order().ToList();
        var activated = changeDays[0];
        var changes = new List<QuantityChange>();
        var quantity = Count(spans, activated);
        foreach (var day in changeDays.Skip(1))
        {
            var count = Count(spans, day);
            if (count != quantity)
            {
                changes.Add(new QuantityChange(day, count));
                quantity = count;
            }
        }

        LocalDate? ceased = spans.All(s => s.End is not null) ? spans.Max(s => s.End!.Value) : null;
        if (ceased is not null)
        {
            // The last change is the drop to zero on the day the pack ceases: the cessation says it already.
            changes.RemoveAll(c => c.EffectiveOn >= ceased.Value);
        }

        return new Subscription(SubscriptionId(packId), first.ServiceId, activated)
        {
            Variant = first.Variant,
            Quantity = Count(spans, activated),
            QuantityChanges = [.. changes],
            CeasedOn = ceased,
        };
    }

    private static decimal Count(List<(LocalDate Start, LocalDate? End)> spans, LocalDate day) =>
        spans.Count(s => s.Start <= day && (s.End is not { } end || day < end));

    private static LocalDate? EndOf(Subscription s)
    {
        var end = s.EndsOn();
        if (end is { } e && e <= s.ActivatedOn)
        {
            throw new InvalidHistoryException(
                $"Mailbox {s.Id} of pack ends on {DomainText.Date(e)}, not after its activation on {DomainText.Date(s.ActivatedOn)}.");
        }

        return end;
    }
}
