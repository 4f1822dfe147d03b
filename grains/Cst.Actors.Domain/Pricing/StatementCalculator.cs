using System.Collections.Immutable;
using System.Globalization;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Deadlines;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Domain.Pricing;

/// <summary>
/// Prices one ente's history for one calendar year against a listino (DESIGN section 2, rules 1-13).
/// A pure function: the same inputs always give the same statement, and no clock is read.
/// </summary>
public static class StatementCalculator
{
    public const string MembershipServiceId = "quota";

    public static Statement Compute(Listino listino, EnteHistory history, int year)
    {
        ArgumentNullException.ThrowIfNull(listino);
        ArgumentNullException.ThrowIfNull(history);
        if (history.ListinoId != listino.Id)
        {
            throw new InvalidHistoryException(
                $"Ente {history.EnteId} is billed on listino '{history.ListinoId}', not '{listino.Id}'.");
        }

        if (history.WithdrawnOn is { } withdrawn && withdrawn <= history.AdheredOn)
        {
            throw new InvalidHistoryException(
                $"Ente {history.EnteId} withdraws on {Iso(withdrawn)}, not after its adhesion on {Iso(history.AdheredOn)}.");
        }

        var lines = new List<StatementLine>();
        AddMembershipQuota(listino, history, year, lines);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var timelines = new List<Timeline>();
        foreach (var subscription in history.Subscriptions)
        {
            if (!seen.Add(subscription.Id))
            {
                throw new InvalidHistoryException($"Ente {history.EnteId} has two subscriptions with id {subscription.Id}.");
            }

            timelines.Add(Timeline.Of(history, subscription));
        }

        var allowances = new FreeAllowances(timelines);
        // The first day each service is listed, looked up once per service rather than once per subscription.
        var listedFrom = new Dictionary<string, LocalDate?>(StringComparer.Ordinal);
        foreach (var timeline in timelines)
        {
            var serviceId = timeline.Subscription.ServiceId;
            if (!listedFrom.TryGetValue(serviceId, out var listed))
            {
                listedFrom[serviceId] = listed = listino.FirstListing(serviceId)?.EffectiveFrom;
            }

            new SubscriptionPricer(listino, history, timeline, allowances, year, lines, listed).Run();
        }

        return new Statement(history.EnteId, year, [.. lines]);
    }

    internal static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>DESIGN rule 10: quota from the population at 1 January, pro-rated by months in adhesion and withdrawal years.</summary>
    private static void AddMembershipQuota(Listino listino, EnteHistory history, int year, List<StatementLine> lines)
    {
        var yearStart = new LocalDate(year, 1, 1);
        var yearEnd = yearStart.PlusYears(1);
        var start = LocalDate.Max(history.AdheredOn, yearStart);
        var end = history.WithdrawnOn is { } withdrawn ? LocalDate.Min(withdrawn, yearEnd) : yearEnd;
        if (end <= start)
        {
            return;
        }

        // Before the listino's first version no quota was in force: nothing is billed (DESIGN rule 13).
        if (listino.TryVersionInForceOn(start) is not { } version || version.MembershipQuota is not { } quota)
        {
            return;
        }

        var months = MonthCounter.CountMonths(start, end, year, version.MonthCounting);
        if (months == 0)
        {
            return;
        }

        var counts = history.Population.Where(p => p.Year == year).ToList();
        if (counts.Count == 0)
        {
            throw new MissingPopulationException(history.EnteId, year);
        }

        if (counts.Count > 1 || counts[0].Inhabitants < 0)
        {
            throw new InvalidHistoryException(
                $"Ente {history.EnteId} needs exactly one non-negative population at 1 January {year}.");
        }

        var inhabitants = counts[0].Inhabitants;
        var annual = quota.AnnualAmount(inhabitants);

        lines.Add(new StatementLine(MembershipServiceId, "Quota associativa annua", "quota-associativa",
            "Quota associativa annua", null, start, end, 1m, months, annual, annual.Prorate(months, 12),
            listino.Id, version.Id, quota.Section)
        {
            Note = string.Create(CultureInfo.GetCultureInfo("it-IT"), $"popolazione {inhabitants:#,##0} al 1° gennaio {year}"),
        });
    }

    private readonly record struct State(LocalDate From, string? Variant, decimal Quantity);

    private readonly record struct Segment(LocalDate Start, LocalDate End, string? Variant, decimal Quantity);

    /// <summary>
    /// One subscription's active span and its states: built, and checked, for every subscription before any is priced,
    /// because the free allowance of a component is shared among the ente's subscriptions.
    /// </summary>
    private sealed class Timeline
    {
        private Timeline(Subscription subscription, LocalDate? end, List<State> states)
        {
            Subscription = subscription;
            End = end;
            States = states;
        }

        public Subscription Subscription { get; }

        /// <summary>The first day the subscription is no longer active, or null while it runs on.</summary>
        public LocalDate? End { get; }

        /// <summary>The states from activation on; the first starts on the activation date.</summary>
        public List<State> States { get; }

        public static Timeline Of(EnteHistory history, Subscription subscription)
        {
            var end = EndOf(history, subscription);
            return new Timeline(subscription, end, BuildStates(subscription, end));
        }

        /// <summary>
        /// The first day the subscription is no longer active: the earliest of its cessation, the effect of its
        /// disdetta (DESIGN rule 11, computed by <see cref="DisdettaRule"/>) and the ente's withdrawal.
        /// </summary>
        private static LocalDate? EndOf(EnteHistory history, Subscription s)
        {
            if (s.ActivatedOn < history.AdheredOn)
            {
                throw new InvalidHistoryException(
                    $"Subscription {s.Id} of ente {history.EnteId} starts on {Iso(s.ActivatedOn)}, before adhesion on {Iso(history.AdheredOn)}.");
            }

            if (s.DisdettaReceivedOn is { } received && received < s.ActivatedOn)
            {
                throw new InvalidHistoryException(
                    $"Disdetta of subscription {s.Id} received on {Iso(received)}, before its activation on {Iso(s.ActivatedOn)}.");
            }

            var end = s.EndsOn();
            if (history.WithdrawnOn is { } withdrawn && (end is null || withdrawn < end))
            {
                end = withdrawn;
            }

            if (end is not { } last)
            {
                return null;
            }

            if (last <= s.ActivatedOn)
            {
                throw new InvalidHistoryException(
                    $"Subscription {s.Id} of ente {history.EnteId} ends on {Iso(last)}, not after its activation on {Iso(s.ActivatedOn)}.");
            }

            return end;
        }

        /// <summary>The states of the subscription from activation on, one per date on which quantity or variant changes.</summary>
        private static List<State> BuildStates(Subscription s, LocalDate? end)
        {
            var changes = s.QuantityChanges.Select(c => (c.EffectiveOn, Quantity: (decimal?)c.Quantity, Variant: (string?)null))
                .Concat(s.VariantChanges.Select(c => (c.EffectiveOn, Quantity: (decimal?)null, Variant: (string?)c.Variant)))
                .OrderBy(c => c.EffectiveOn)
                .ToList();
            if (s.Quantity < 0 || changes.Any(c => c.Quantity < 0))
            {
                throw new InvalidHistoryException($"Subscription {s.Id} has a negative quantity.");
            }

            var states = new List<State> { new(s.ActivatedOn, s.Variant, s.Quantity) };
            foreach (var change in changes)
            {
                if (change.EffectiveOn < s.ActivatedOn || (end is { } last && change.EffectiveOn >= last))
                {
                    throw new InvalidHistoryException(
                        $"Subscription {s.Id} has a change on {Iso(change.EffectiveOn)}, outside its active span "
                        + $"from {Iso(s.ActivatedOn)}{(end is { } e ? " to " + Iso(e) : "")}.");
                }

                var current = states[^1];
                var next = new State(change.EffectiveOn, change.Variant ?? current.Variant, change.Quantity ?? current.Quantity);
                if (current.From == change.EffectiveOn)
                {
                    states[^1] = next;
                }
                else
                {
                    states.Add(next);
                }
            }

            return states;
        }
    }

    /// <summary>
    /// The free allowance of a component (<c>free_units</c>, e.g. CIT Brescia's free first mailbox) belongs to the
    /// ente, not to each subscription: it is pooled over the ente's subscriptions of the service that ever carry the
    /// component (a variant it applies to), and handed to them in order of activation date, then subscription id.
    /// Each takes as much of what is left as its highest quantity while carrying the component, and keeps that share
    /// for its whole life, also after it ends: the share is never passed on to a later subscription. So three
    /// mailboxes as three subscriptions get one free box, the earliest, like one subscription of three; and a single
    /// subscription keeps the whole allowance, as its highest quantity is all the allowance it can ever use.
    /// </summary>
    private sealed class FreeAllowances(List<Timeline> timelines)
    {
        private readonly Dictionary<(string Version, string Service, string Component), Dictionary<string, decimal>> _shares = [];

        /// <summary>The free units of <paramref name="component"/> (as defined in <paramref name="version"/>) for one subscription.</summary>
        public decimal For(ListinoVersion version, CatalogueService service, ChargeComponent component, string subscriptionId)
        {
            if (component.FreeUnits == 0m)
            {
                return 0m;
            }

            var key = (version.Id, service.Id, component.Id);
            if (!_shares.TryGetValue(key, out var shares))
            {
                shares = Share(service.Id, component);
                _shares[key] = shares;
            }

            return shares.GetValueOrDefault(subscriptionId);
        }

        private Dictionary<string, decimal> Share(string serviceId, ChargeComponent component)
        {
            var shares = new Dictionary<string, decimal>(StringComparer.Ordinal);
            var left = component.FreeUnits;
            var pool = timelines.Where(t => t.Subscription.ServiceId == serviceId)
                .OrderBy(t => t.Subscription.ActivatedOn)
                .ThenBy(t => t.Subscription.Id, StringComparer.Ordinal);
            foreach (var timeline in pool)
            {
                if (left <= 0m)
                {
                    break;
                }

                var carrying = timeline.States.Where(s => component.AppliesTo(s.Variant)).ToList();
                if (carrying.Count == 0)
                {
                    continue;
                }

                var share = Math.Min(left, carrying.Max(s => s.Quantity));
                shares[timeline.Subscription.Id] = share;
                left -= share;
            }

            return shares;
        }
    }

    /// <summary>The work for one subscription: its timeline, then each charge kind in turn.</summary>
    private sealed class SubscriptionPricer
    {
        private readonly Listino _listino;
        private readonly EnteHistory _history;
        private readonly Subscription _subscription;
        private readonly FreeAllowances _allowances;
        private readonly int _year;
        private readonly List<StatementLine> _lines;
        private readonly LocalDate _yearStart;
        private readonly LocalDate _yearEnd;
        private readonly LocalDate? _end;
        private readonly List<State> _states;

        public SubscriptionPricer(
            Listino listino, EnteHistory history, Timeline timeline, FreeAllowances allowances, int year, List<StatementLine> lines,
            LocalDate? listedFrom)
        {
            _listino = listino;
            _history = history;
            _subscription = timeline.Subscription;
            _allowances = allowances;
            _year = year;
            _lines = lines;
            _yearStart = new LocalDate(year, 1, 1);
            _yearEnd = _yearStart.PlusYears(1);
            _end = timeline.End;
            _states = timeline.States;
            _listedFrom = listedFrom;
        }

        /// <summary>The first day a version lists the service: what comes before is recorded but not billed (rule 13).</summary>
        private readonly LocalDate? _listedFrom;

        public void Run()
        {
            AddOneOffs();
            AddRenewals();
            var inYear = Clip(_yearStart, _yearEnd);
            if (inYear.Count > 0)
            {
                AddFirstYear();
                AddFullYear(inYear);
                AddIncluded(inYear);
                AddApportioned(inYear, ChargeKind.AnnualProRata, ChargeKind.Monthly);

                // DESIGN rule 6: from the calendar year after activation; only the final year can be partial.
                var secondYearStart = new LocalDate(_subscription.ActivatedOn.Year + 1, 1, 1);
                AddApportioned(Clip(LocalDate.Max(_yearStart, secondYearStart), _yearEnd), ChargeKind.FromSecondYear);
            }

            AddConsumption();
        }

        /// <summary>The consecutive periods of the subscription inside <c>[from, to)</c>, from the day the service is listed.</summary>
        private List<Segment> Clip(LocalDate from, LocalDate to)
        {
            if (_listedFrom is { } listed)
            {
                from = LocalDate.Max(from, listed);
            }

            var result = new List<Segment>();
            for (var i = 0; i < _states.Count; i++)
            {
                var start = _states[i].From;
                var end = i + 1 < _states.Count ? _states[i + 1].From : _end ?? LocalDate.MaxIsoValue;
                var clippedStart = LocalDate.Max(start, from);
                var clippedEnd = LocalDate.Min(end, to);
                if (clippedEnd > clippedStart)
                {
                    result.Add(new Segment(clippedStart, clippedEnd, _states[i].Variant, _states[i].Quantity));
                }
            }

            return result;
        }

        /// <summary>
        /// An event that no listino version prices: one before the first version listing the service (recorded with
        /// its true date, not billed: DESIGN rule 13), or one of an earlier year in a span whose version lacks the
        /// service, which cannot add to this year's statement. Either is passed over rather than refused.
        /// </summary>
        private bool UnpricedPastEvent(LocalDate date) =>
            (_listedFrom is { } listed && date < listed)
            || (date < _yearStart && _listino.TryVersionInForceOn(date)?.FindService(_subscription.ServiceId) is null);

        private State StateOn(LocalDate date) => _states.Last(s => s.From <= date);

        /// <summary>DESIGN rule 13: the version in force on <paramref name="date"/>, and the service in it.</summary>
        private (ListinoVersion Version, CatalogueService Service) ServiceOn(LocalDate date, string? variant)
        {
            var version = _listino.VersionInForceOn(date);
            var service = version.FindService(_subscription.ServiceId)
                ?? throw new TariffNotFoundException(
                    $"Service {_subscription.ServiceId} (subscription {_subscription.Id}) is not in listino "
                    + $"'{_listino.Id}' version '{version.Id}', in force on {Iso(date)}.");
            if (service.Variants.IsDefaultOrEmpty ? variant is not null : variant is null || !service.Variants.Contains(variant))
            {
                var known = service.Variants.IsDefaultOrEmpty ? "none" : string.Join(", ", service.Variants);
                throw new InvalidHistoryException(
                    $"Subscription {_subscription.Id} is on variant '{variant ?? "(none)"}' of service {service.Id} on {Iso(date)}; "
                    + $"listino version '{version.Id}' offers: {known}.");
            }

            return (version, service);
        }

        private Money UnitPrice(ChargeComponent component, CatalogueService service)
        {
            if (component.Kind == ChargeKind.Included)
            {
                return Money.Zero;
            }

            if (!component.OnQuotation)
            {
                return component.Price ?? Money.Zero;
            }

            if (_subscription.AgreedPrice is not { } agreed)
            {
                throw new MissingAgreedPriceException(
                    $"Component {component.Id} of service {service.Id} is on quotation, and subscription {_subscription.Id} has no agreed price.");
            }

            // The same rule the grains apply when the price is entered.
            if (Priceability.AgreedPriceAmountError(agreed, $"subscription {_subscription.Id}") is { } bad)
            {
                throw bad;
            }

            return Money.Euro(agreed);
        }

        /// <summary>What is charged for <paramref name="quantity"/>, beyond this subscription's share of the free allowance.</summary>
        private decimal Chargeable(ListinoVersion version, CatalogueService service, ChargeComponent component, decimal quantity) =>
            component.Chargeable(quantity, _allowances.For(version, service, component, _subscription.Id));

        private void Add(
            ListinoVersion version, CatalogueService service, ChargeComponent component, LocalDate start, LocalDate end,
            decimal quantity, int? months, Money unitPrice, Money amount) =>
            _lines.Add(new StatementLine(service.Id, service.Name, component.Id, component.Name, _subscription.Id,
                start, end, quantity, months, unitPrice, amount, _listino.Id, version.Id, component.Section));

        /// <summary>
        /// DESIGN rule 5: one-off fees fall on the date of the event. A component is charged when the subscription first
        /// takes a variant carrying it (activation or variant change); a per-unit or per-block one-off is charged again
        /// for the units added by a later quantity increase (e.g. CLAVIS workstations, Brescia mailboxes).
        /// </summary>
        private void AddOneOffs()
        {
            var charged = new HashSet<string>(StringComparer.Ordinal);
            State? previous = null;
            foreach (var state in _states)
            {
                if (state.From >= _yearEnd)
                {
                    break;
                }

                if (UnpricedPastEvent(state.From))
                {
                    previous = state;
                    continue;
                }

                var (version, service) = ServiceOn(state.From, state.Variant);
                foreach (var component in service.ComponentsFor(state.Variant).Where(c => c.Kind == ChargeKind.OneOff))
                {
                    decimal count;
                    if (charged.Add(component.Id))
                    {
                        count = Chargeable(version, service, component, state.Quantity);
                    }
                    else if (component.Basis == QuantityBasis.Flat || previous is not { } before)
                    {
                        continue;
                    }
                    else
                    {
                        count = Chargeable(version, service, component, state.Quantity)
                            - Chargeable(version, service, component, before.Quantity);
                    }

                    if (count > 0 && state.From.Year == _year)
                    {
                        var unit = UnitPrice(component, service);
                        Add(version, service, component, state.From, state.From.PlusDays(1), count, null, unit, unit.Times(count));
                    }
                }

                previous = state;
            }
        }

        /// <summary>
        /// DESIGN rule 12: each renewal is charged on its date; it must fall before the expiry of the current
        /// certificate (issue or last renewal plus the validity), and gives a new validity from the renewal date.
        /// </summary>
        private void AddRenewals()
        {
            var issued = _subscription.ActivatedOn;
            foreach (var date in _subscription.Renewals.Order())
            {
                if (date < _subscription.ActivatedOn || (_end is { } end && date >= end))
                {
                    throw new InvalidHistoryException(
                        $"Renewal of subscription {_subscription.Id} on {Iso(date)} is outside its active span.");
                }

                if (UnpricedPastEvent(date))
                {
                    issued = date;
                    continue;
                }

                var state = StateOn(date);
                var (version, service) = ServiceOn(date, state.Variant);
                var component = service.ComponentsFor(state.Variant).FirstOrDefault(c => c.Kind == ChargeKind.Renewal)
                    ?? throw new TariffNotFoundException(
                        $"Service {service.Id} variant '{state.Variant}' has no renewal tariff in listino version '{version.Id}'.");
                if (component.ValidityYears is { } years && date >= issued.PlusYears(years))
                {
                    throw new RenewalAfterExpiryException(
                        $"Subscription {_subscription.Id} cannot be renewed on {Iso(date)}: the certificate issued or renewed on "
                        + $"{Iso(issued)} expired on {Iso(issued.PlusYears(years))}; a new device is needed.");
                }

                issued = date;
                if (date.Year == _year)
                {
                    var count = Chargeable(version, service, component, state.Quantity);
                    var unit = UnitPrice(component, service);
                    Add(version, service, component, date, date.PlusDays(1), count, null, unit, unit.Times(count));
                }
            }
        }

        /// <summary>DESIGN rule 6, first-year price: due in full in the activation year, whatever the month.</summary>
        private void AddFirstYear()
        {
            var activation = _states[0];
            if (activation.From.Year != _year || UnpricedPastEvent(activation.From))
            {
                return;
            }

            var (version, service) = ServiceOn(activation.From, activation.Variant);
            foreach (var component in service.ComponentsFor(activation.Variant).Where(c => c.Kind == ChargeKind.FirstYear))
            {
                var count = Chargeable(version, service, component, activation.Quantity);
                if (count > 0)
                {
                    var unit = UnitPrice(component, service);
                    Add(version, service, component, activation.From, _yearEnd, count, null, unit, unit.Times(count));
                }
            }
        }

        /// <summary>
        /// DESIGN rule 4: due in full for any year in which the service is active at all, at the highest quantity of
        /// the year; the version is the one in force on the first active day of the year. The exception is the year of
        /// the ente's withdrawal (rule 11: the <i>recesso</i> ends all services at its date, pro-rated): there a
        /// component carried over from an earlier year and ended by the withdrawal is apportioned by the months counted
        /// from 1 January to the withdrawal date. A disdetta or a cessation leaves the year due in full, and so does
        /// the year in which the component starts (rule 4), even when the ente withdraws later that year.
        /// </summary>
        private void AddFullYear(List<Segment> inYear)
        {
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (var segment in inYear)
            {
                var (version, service) = ServiceOn(segment.Start, segment.Variant);
                foreach (var component in service.ComponentsFor(segment.Variant).Where(c => c.Kind == ChargeKind.AnnualFullYear))
                {
                    if (!done.Add(component.Id))
                    {
                        continue;
                    }

                    var carrying = inYear.Where(s => service.ComponentsFor(s.Variant).Any(c => c.Id == component.Id)).ToList();
                    var count = carrying.Max(s => Chargeable(version, service, component, s.Quantity));
                    if (count <= 0)
                    {
                        continue;
                    }

                    var unit = UnitPrice(component, service);
                    if (EndedByWithdrawalAfterFullYears(service, component, carrying) is { } withdrawn)
                    {
                        var months = MonthCounter.CountMonths(_yearStart, withdrawn, _year, version.MonthCounting);
                        if (months > 0)
                        {
                            Add(version, service, component, _yearStart, withdrawn, count, months, unit, unit.Prorate(count * months, 12));
                        }
                    }
                    else
                    {
                        Add(version, service, component, _yearStart, _yearEnd, count, null, unit, unit.Times(count));
                    }
                }
            }
        }

        /// <summary>
        /// The withdrawal date, when this is the year of the ente's withdrawal, the withdrawal is what ends the
        /// subscription, and the component was already carried on 31 December of the year before and is still carried
        /// when the ente withdraws; otherwise null (the year is due in full).
        /// </summary>
        private LocalDate? EndedByWithdrawalAfterFullYears(CatalogueService service, ChargeComponent component, List<Segment> carrying)
        {
            if (_history.WithdrawnOn is not { } withdrawn || _end != withdrawn || withdrawn >= _yearEnd
                || _subscription.ActivatedOn >= _yearStart || carrying[0].Start != _yearStart || carrying[^1].End != withdrawn)
            {
                return null;
            }

            var lastDayBefore = StateOn(_yearStart.PlusDays(-1));
            return service.ComponentsFor(lastDayBefore.Variant).Any(c => c.Id == component.Id) ? withdrawn : null;
        }

        /// <summary>DESIGN rule 9: included components are shown at EUR 0.00, once a year, over the active span.</summary>
        private void AddIncluded(List<Segment> inYear)
        {
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (var segment in inYear)
            {
                var (version, service) = ServiceOn(segment.Start, segment.Variant);
                foreach (var component in service.ComponentsFor(segment.Variant).Where(c => c.Kind == ChargeKind.Included))
                {
                    if (done.Add(component.Id))
                    {
                        var end = inYear.Last(s => service.ComponentsFor(s.Variant).Any(c => c.Id == component.Id)).End;
                        Add(version, service, component, segment.Start, end, 1m, null, Money.Zero, Money.Zero);
                    }
                }
            }
        }

        /// <summary>
        /// DESIGN rules 3 and 7: amounts apportioned by months counted. Quantities are priced in layers, the way
        /// separate units would be: when 12 clients become 24 on 16 April, the first 12 are counted over the whole
        /// year and the 12 added over their own span from 16 April (15 of 30 April days: not counted). So a change is
        /// billed exactly as if each unit were its own subscription, a "change" to the same quantity splits nothing,
        /// and months are never created or lost. Each line is one layer over one unbroken span; it is priced by the
        /// version in force on the span's first day (rule 13).
        /// </summary>
        private void AddApportioned(List<Segment> segments, params ChargeKind[] kinds)
        {
            if (segments.Count == 0)
            {
                return;
            }

            var counting = _listino.VersionInForceOn(segments[0].Start).MonthCounting;
            segments = OneTierPerMonth(segments);
            var levels = new Dictionary<string, List<(Segment Segment, decimal Level)>>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var segment in segments)
            {
                var (version, service) = ServiceOn(segment.Start, segment.Variant);
                foreach (var component in service.ComponentsFor(segment.Variant).Where(c => kinds.Contains(c.Kind)))
                {
                    if (!levels.TryGetValue(component.Id, out var list))
                    {
                        list = [];
                        levels[component.Id] = list;
                        order.Add(component.Id);
                    }

                    list.Add((segment, Chargeable(version, service, component, segment.Quantity)));
                }
            }

            foreach (var componentId in order)
            {
                var entries = levels[componentId];
                var below = 0m;
                foreach (var level in entries.Select(e => e.Level).Where(l => l > 0).Distinct().Order())
                {
                    foreach (var (start, end) in Spans(entries, level))
                    {
                        AddLayer(componentId, start, end, level - below, counting);
                    }

                    below = level;
                }
            }
        }

        /// <summary>
        /// DESIGN rule 7, a change of tier or variant inside a month: the month counts once, for the variant in force on
        /// most of its active days; on a tie, the later one. So the whole active part of such a month is given to that
        /// variant before months are counted: standard to silver on 16 June (15 days each) bills June as silver, where
        /// counting each variant's 15 days on its own would lose June. Quantities keep their own dates (layers, C16).
        /// </summary>
        private static List<Segment> OneTierPerMonth(List<Segment> segments)
        {
            // One variant throughout (nearly every subscription): no month has two, and the pieces of each month would
            // merge back into the segments, so the segments are merged as they are (the same result, without a piece
            // per month and a grouping of the months: close to half of the pricing core's time in a profiled cold run).
            if (segments.TrueForAll(s => s.Variant == segments[0].Variant))
            {
                return Merged(segments.Where(s => s.Start < s.End));
            }

            var pieces = new List<Segment>();
            foreach (var segment in segments)
            {
                var start = segment.Start;
                while (start < segment.End)
                {
                    var nextMonth = new LocalDate(start.Year, start.Month, 1).PlusMonths(1);
                    var end = LocalDate.Min(nextMonth, segment.End);
                    pieces.Add(segment with { Start = start, End = end });
                    start = end;
                }
            }

            foreach (var month in pieces.GroupBy(p => (p.Start.Year, p.Start.Month)).ToList())
            {
                if (month.Select(p => p.Variant).Distinct().Count() < 2)
                {
                    continue;
                }

                var winner = month.GroupBy(p => p.Variant)
                    .Select(g => (Variant: g.Key, Days: g.Sum(p => Period.DaysBetween(p.Start, p.End)), Latest: g.Max(p => p.Start)))
                    .OrderByDescending(v => v.Days)
                    .ThenByDescending(v => v.Latest)
                    .First().Variant;
                for (var i = 0; i < pieces.Count; i++)
                {
                    if ((pieces[i].Start.Year, pieces[i].Start.Month) == month.Key)
                    {
                        pieces[i] = pieces[i] with { Variant = winner };
                    }
                }
            }

            return Merged(pieces);
        }

        /// <summary>Consecutive pieces of the same variant and quantity joined.</summary>
        private static List<Segment> Merged(IEnumerable<Segment> pieces)
        {
            var merged = new List<Segment>();
            foreach (var piece in pieces)
            {
                if (merged.Count > 0 && merged[^1].End == piece.Start && merged[^1].Variant == piece.Variant
                    && merged[^1].Quantity == piece.Quantity)
                {
                    merged[^1] = merged[^1] with { End = piece.End };
                }
                else
                {
                    merged.Add(piece);
                }
            }

            return merged;
        }

        /// <summary>The unbroken spans over which the chargeable level is at least <paramref name="level"/>.</summary>
        private static List<(LocalDate Start, LocalDate End)> Spans(List<(Segment Segment, decimal Level)> entries, decimal level)
        {
            var spans = new List<(LocalDate Start, LocalDate End)>();
            foreach (var (segment, segmentLevel) in entries.Where(e => e.Level >= level))
            {
                if (spans.Count > 0 && spans[^1].End == segment.Start)
                {
                    spans[^1] = (spans[^1].Start, segment.End);
                }
                else
                {
                    spans.Add((segment.Start, segment.End));
                }
            }

            return spans;
        }

        private void AddLayer(string componentId, LocalDate start, LocalDate end, decimal thickness, MonthCounting counting)
        {
            var months = MonthCounter.CountMonths(start, end, _year, counting);
            if (months == 0)
            {
                return;
            }

            var (version, service) = ServiceOn(start, StateOn(start).Variant);
            var component = service.Components.First(c => c.Id == componentId);
            var unit = UnitPrice(component, service);
            var amount = component.Kind == ChargeKind.Monthly
                ? unit.Times(thickness * months)
                : unit.Prorate(thickness * months, 12);
            Add(version, service, component, start, end, thickness, months, unit, amount);
        }

        /// <summary>DESIGN rule 8: consumption is billed in the year the usage is recorded, at the version of that date.</summary>
        private void AddConsumption()
        {
            foreach (var record in _subscription.Consumption.Where(r => r.RecordedOn.Year == _year).OrderBy(r => r.RecordedOn))
            {
                if (record.RecordedOn < _subscription.ActivatedOn || record.Quantity < 0)
                {
                    throw new InvalidHistoryException(string.Create(CultureInfo.InvariantCulture,
                        $"Consumption of {record.Quantity} on {Iso(record.RecordedOn)} for subscription {_subscription.Id} is "
                        + $"negative or before its activation on {Iso(_subscription.ActivatedOn)}."));
                }

                if (UnpricedPastEvent(record.RecordedOn))
                {
                    continue;
                }

                var state = StateOn(record.RecordedOn);
                var (version, service) = ServiceOn(record.RecordedOn, state.Variant);
                var component = Priceability.ConsumptionComponent(service, state.Variant, record.ComponentId,
                    $"subscription {_subscription.Id} on {Iso(record.RecordedOn)} (listino version '{version.Id}')").Value;
                var unit = UnitPrice(component, service);
                Add(version, service, component, record.RecordedOn, record.RecordedOn.PlusDays(1), record.Quantity, null,
                    unit, unit.Times(record.Quantity));
            }
        }
    }
}
