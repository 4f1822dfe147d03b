using System.Collections.Immutable;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Validation;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Contracts.Import;

/// <summary>The outcome of checking one ente of a document: its key when it has one, and every reason to refuse it.</summary>
public sealed record EnteCheck(string? EnteId, ImmutableList<string> Reasons)
{
    public bool Valid => EnteId is not null && Reasons.IsEmpty;
}

/// <summary>
/// Checks one ente of an import document with the pure domain alone, before anything is written: its key, dates in
/// range, the listino and the services, variants and tiers its versions offer on the dates used, activations not
/// before the adhesion nor after the withdrawal, every dated change while its object is active, renewals the
/// certificate rules allow, consumption on a component that exists. It collects every reason rather than stopping at
/// the first, each a plain sentence naming the object and the value.
/// </summary>
public static class ImportValidator
{
    /// <summary>The listino of an ente that names none.</summary>
    public const string DefaultListino = "cst-padova";

    /// <summary>
    /// Checks <paramref name="ente"/>; <paramref name="listino"/> gives a listino by id, or null for an unknown one.
    /// <paramref name="today"/> (the cluster's business date) refuses facts that report what happened dated after it
    /// (DESIGN rule 14); null leaves that check to the grains.
    /// </summary>
    public static EnteCheck Check(ImportEnte ente, Func<string, Listino?> listino, LocalDate? today = null)
    {
        ArgumentNullException.ThrowIfNull(ente);
        ArgumentNullException.ThrowIfNull(listino);
        var reasons = new List<string>();
        var name = string.IsNullOrWhiteSpace(ente.Name) ? "(no name)" : ente.Name.Trim();
        if (string.IsNullOrWhiteSpace(ente.Name))
        {
            reasons.Add("the ente has no name");
        }

        // An oversized or hostile name is refused below; the messages name the ente by a printable start of it.
        name = Guard.Printable(name.Length > 60 ? name[..60] + "..." : name);

        var keyResult = EnteKey.Validate(ente.Kind, ente.IstatCode, ente.CodiceFiscale);
        var key = keyResult.Success ? keyResult.Value : null;
        if (!keyResult.Success)
        {
            reasons.Add(keyResult.ErrorMessage);
        }

        var subject = key is null ? name : $"ente {key} ({name})";
        CheckTexts(ente, subject, reasons);
        var listinoId = string.IsNullOrWhiteSpace(ente.Listino) ? DefaultListino : ente.Listino.Trim();
        var prices = listino(listinoId);
        if (prices is null)
        {
            reasons.Add($"{subject} is billed on listino '{listinoId}', which is not known");
        }

        if (ente.AdheredOn is not { } adhered)
        {
            reasons.Add($"{subject} has no adhesion date (adheredOn)");
            return new EnteCheck(null, [.. reasons]);
        }

        Try(reasons, () => Guard.Date(adhered, $"adhesion date of {subject}"));
        if (ente.ReferentePec is { Length: > 0 } pec && PecAddress.Validate(pec) is { Success: false } badPec)
        {
            reasons.Add($"referente PEC of {subject}: {badPec.ErrorMessage}");
        }

        foreach (var year in ente.Population.GroupBy(p => p.Year).Where(g => g.Count() > 1))
        {
            reasons.Add($"{subject} has {year.Count()} population counts for {year.Key}; give one per year");
        }

        foreach (var p in ente.Population)
        {
            if (p.Year < Guard.EarliestDate.Year || p.Year > Guard.LatestDate.Year)
            {
                reasons.Add($"population year {p.Year} of {subject} must be between {Guard.EarliestDate.Year} and {Guard.LatestDate.Year}");
            }

            Try(reasons, () => Guard.Inhabitants(p.Inhabitants, $"population of {subject} at 1 January {p.Year}"));
        }

        if (ente.Capofila is { Length: > 0 } capofila && capofila.Trim() == key)
        {
            reasons.Add($"{subject} cannot be its own capofila; leave capofila empty for an ente that pays itself");
        }

        if (ente.CapofilaFrom is { } from && (from < Guard.EarliestDate.Year || from > Guard.LatestDate.Year))
        {
            reasons.Add($"capofilaFrom {from} of {subject} must be a billing year between {Guard.EarliestDate.Year} and {Guard.LatestDate.Year}");
        }

        var withdrawn = ente.WithdrawnOn;
        if (withdrawn is { } w)
        {
            Try(reasons, () => Guard.Date(w, $"withdrawal date of {subject}"));
            if (w <= adhered)
            {
                reasons.Add($"{subject} adhered on {Iso(adhered)}; its withdrawal on {Iso(w)} must come after it");
            }
        }

        var context = new Context(subject, key ?? string.Empty, adhered, withdrawn, prices, reasons) { Today = today };
        CheckDuplicates(ente, subject, reasons);
        foreach (var mailbox in ente.Mailboxes)
        {
            CheckMailbox(context, mailbox);
        }

        foreach (var device in ente.Devices)
        {
            CheckDevice(context, device);
        }

        foreach (var service in ente.Services)
        {
            CheckService(context, service);
        }

        return new EnteCheck(key, [.. reasons]);
    }

    /// <summary>
    /// Every text of the document within its documented length (docs/import-format.md) and free of control and
    /// text-direction characters, each refusal naming the field and the position of the character.
    /// </summary>
    private static void CheckTexts(ImportEnte ente, string subject, List<string> reasons)
    {
        void Text(string? value, string field, int max) => Try(reasons, () => Guard.Text(value, field, max));

        Text(ente.Name, $"name of {subject}", Guard.MaxNameLength);
        Text(ente.Listino, $"listino of {subject}", Guard.MaxLabelLength);
        Text(ente.ReferentePec, $"referente PEC of {subject}", Guard.MaxAddressLength);
        Text(ente.ReferenteEmail, $"referente e-mail of {subject}", Guard.MaxAddressLength);
        Text(ente.ReferenteName, $"referente of {subject}", Guard.MaxNameLength);
        Text(ente.Capofila, $"capofila of {subject}", Guard.MaxLabelLength);
        foreach (var (m, i) in ente.Mailboxes.Select((m, i) => (m, i + 1)))
        {
            var what = $"mailbox {i} of {subject}";
            Text(m.Address, $"address of {what}", Guard.MaxAddressLength);
            Text(m.Tier, $"tier of {what}", Guard.MaxLabelLength);
            Text(m.CustomDomainPack, $"custom-domain pack of {what}", Guard.MaxLabelLength);
            Text(m.Disdetta?.Evidence, $"disdetta evidence of {what}", Guard.MaxEvidenceLength);
            foreach (var change in m.TierChanges)
            {
                Text(change.Tier, $"tier change of {what}", Guard.MaxLabelLength);
            }
        }

        foreach (var (d, i) in ente.Devices.Select((d, i) => (d, i + 1)))
        {
            Text(d.Holder, $"holder of firma device {i} of {subject}", Guard.MaxNameLength);
        }

        foreach (var (s, i) in ente.Services.Select((s, i) => (s, i + 1)))
        {
            var what = $"service {i} of {subject}";
            Text(s.Service, $"service id of {what}", Guard.MaxLabelLength);
            Text(s.Label, $"label of {what}", Guard.MaxLabelLength);
            Text(s.Variant, $"variant of {what}", Guard.MaxLabelLength);
            Text(s.Disdetta?.Evidence, $"disdetta evidence of {what}", Guard.MaxEvidenceLength);
            foreach (var use in s.Consumption)
            {
                Text(use.Id, $"consumption id of {what}", Guard.MaxLabelLength);
                Text(use.Component, $"consumption component of {what}", Guard.MaxLabelLength);
            }
        }
    }

    /// <summary>The key of a hosted service of <paramref name="enteId"/> in the document ("1" when no label is given).</summary>
    public static string ServiceKey(string enteId, ImportService service) =>
        HostedServiceKey.For(enteId, service.Service.Trim(), string.IsNullOrWhiteSpace(service.Label) ? "1" : service.Label.Trim());

    /// <summary>The canonical (lower-case) address, or the text as given when it is not an address.</summary>
    public static string MailboxKey(ImportMailbox mailbox) =>
        PecAddress.Validate(mailbox.Address) is { Success: true } a ? a.Value.Value : mailbox.Address.Trim();

    private static void CheckDuplicates(ImportEnte ente, string subject, List<string> reasons)
    {
        foreach (var dup in ente.Mailboxes.GroupBy(MailboxKey).Where(g => g.Count() > 1))
        {
            reasons.Add($"PEC mailbox {dup.Key} appears {dup.Count()} times in {subject}");
        }

        foreach (var dup in ente.Devices.GroupBy(d => d.Serial.Trim()).Where(g => g.Count() > 1))
        {
            reasons.Add($"firma device {dup.Key} appears {dup.Count()} times in {subject}");
        }

        foreach (var dup in ente.Services.GroupBy(s => ServiceKey("x", s)).Where(g => g.Count() > 1))
        {
            reasons.Add($"service {dup.Key[2..]} appears {dup.Count()} times in {subject}; give each subscription its own label");
        }
    }

    private static void CheckMailbox(Context c, ImportMailbox m)
    {
        var address = PecAddress.Validate(m.Address);
        if (!address.Success)
        {
            c.Reasons.Add($"mailbox of {c.Subject}: {address.ErrorMessage}");
            return;
        }

        var what = "PEC mailbox " + address.Value.Value;
        if (m.RequestedOn is not { } requested)
        {
            c.Reasons.Add($"{what} has no request date (requestedOn)");
            return;
        }

        var pack = string.IsNullOrWhiteSpace(m.CustomDomainPack) ? null : m.CustomDomainPack.Trim();

        // The tier is one of the listino's own tier names (standard... for Padova; standard only for CIT Brescia).
        var pec = PecOf(c, requested, what);
        string? variant = null;
        Try(c.Reasons, () => variant = CatalogueChecks.PecTierVariant(c.ListinoId, pec, m.Tier), what);
        if (pack is not null && variant is not null && !string.Equals(pec.Find(m.Tier)?.Name, "standard", StringComparison.OrdinalIgnoreCase))
        {
            c.Reasons.Add($"{what} belongs to custom-domain pack {pack}, whose mailboxes are on the standard contract; tier '{m.Tier}' is refused");
        }

        if (pack is not null && m.TierChanges.Count > 0)
        {
            c.Reasons.Add($"{what} belongs to custom-domain pack {pack} and is billed by the pack; its tier cannot change");
        }

        if (c.Listino is { } listino && variant is not null)
        {
            Try(c.Reasons, () => CatalogueChecks.Service(listino, pec.ServiceId,
                pack is null ? variant : CatalogueChecks.CustomDomainPackVariant, requested), what);
        }

        var lifecycle = Lifecycle(c, what, requested, m.ActivatedOn, m.Disdetta);
        if (lifecycle is null)
        {
            if (m.TierChanges.Count + m.ExtraSpaceGb.Count + m.ConservazioneGb.Count > 0 || m.Disdetta is not null)
            {
                c.Reasons.Add($"{what} is not active (no activatedOn), so it can have no tier change, space, conservazione or disdetta");
            }

            return;
        }

        foreach (var change in m.TierChanges)
        {
            if (Dated(c, what, "tier change", change.EffectiveOn) is not { } on)
            {
                continue;
            }

            var pecThen = PecOf(c, on, what);
            if (Try(c.Reasons, () => CatalogueChecks.PecTierVariant(c.ListinoId, pecThen, change.Tier), what) && c.Listino is { } prices)
            {
                Try(c.Reasons, () => CatalogueChecks.Service(prices, pecThen.ServiceId,
                    CatalogueChecks.PecTierVariant(c.ListinoId, pecThen, change.Tier), on), what);
            }

            if (on == lifecycle.ActivatedOn)
            {
                c.Reasons.Add($"{what} has a tier change on its activation day {Iso(on)}; give the starting tier in \"tier\" instead");
            }

            Try(c.Reasons, () => lifecycle.CheckActiveOn(on, "tier change"));
        }

        CheckQuantities(c, what, lifecycle, m.ExtraSpaceGb, "extra space in GB", allowActivationDay: true);
        CheckQuantities(c, what, lifecycle, m.ConservazioneGb, "conservazione in GB", allowActivationDay: true);

        // The listino must price the space on the day it starts, as the pricing core will.
        var spaces = m.ExtraSpaceGb.Select(q => (q, CatalogueChecks.ExtraSpaceVariant))
            .Concat(m.ConservazioneGb.Select(q => (q, CatalogueChecks.ConservazioneVariant)));
        foreach (var (change, spaceVariant) in spaces)
        {
            if (c.Listino is { } prices && change is { EffectiveOn: { } from, Quantity: > 0 })
            {
                Try(c.Reasons, () => CatalogueChecks.Service(prices, pec.ServiceId, spaceVariant, from), what);
            }
        }
    }

    /// <summary>
    /// The PEC mailbox service and tiers of the ente's listino on <paramref name="on"/>; the Disciplinare's s.11 when
    /// the listino is unknown (that is reported on its own) or names none (reported here).
    /// </summary>
    private static PecMailboxService PecOf(Context c, LocalDate on, string what)
    {
        PecMailboxService? pec = null;
        if (c.Listino is { } listino)
        {
            Try(c.Reasons, () => pec = CatalogueChecks.PecMailbox(listino, on), what);
        }

        return pec ?? PecMailboxService.Disciplinare2020;
    }

    private static void CheckDevice(Context c, ImportDevice d)
    {
        var serial = d.Serial?.Trim() ?? string.Empty;
        var what = "firma device " + serial;
        if (serial.Length is 0 or > 64 || !serial.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'))
        {
            c.Reasons.Add($"device serial '{serial}' of {c.Subject} must be 1 to 64 letters, digits, '-', '_' or '.'");
            return;
        }

        if (!Enum.IsDefined(d.Kind))
        {
            c.Reasons.Add($"{what}: device kind {(int)d.Kind} is unknown; it is BusinessKey or FirmaRemota");
            return;
        }

        if (string.IsNullOrWhiteSpace(d.Holder))
        {
            c.Reasons.Add($"{what} has no holder; name the person it is issued to");
        }

        if (d.IssuedOn is not { } issued)
        {
            c.Reasons.Add($"{what} has no issue date (issuedOn)");
            return;
        }

        if (!Try(c.Reasons, () => Guard.Date(issued, $"issue date of {what}")))
        {
            return;
        }

        if (issued < c.AdheredOn)
        {
            c.Reasons.Add($"{what} cannot be issued on {Iso(issued)}, before {c.Subject} adhered to the CST on {Iso(c.AdheredOn)}");
        }

        if (c.WithdrawnOn is { } w && issued >= w)
        {
            c.Reasons.Add($"{what} cannot be issued on {Iso(issued)}: {c.Subject} withdrew from the CST on {Iso(w)}");
        }

        if (c.Listino is { } listino)
        {
            Try(c.Reasons, () => CatalogueChecks.Service(listino, CatalogueChecks.PecServiceId,
                d.Kind == FirmaDeviceKind.FirmaRemota ? "firma-remota" : "businesskey", issued), what);
        }

        FirmaDevice? device = null;
        if (!Try(c.Reasons, () => device = new FirmaDevice(serial, d.Kind, issued, d.RenewedOn), what) || device is null)
        {
            return;
        }

        foreach (var renewal in d.RenewedOn)
        {
            NotFuture(c, what, FactKind.Renewal, renewal);
        }

        NotFuture(c, what, FactKind.Revocation, d.Revocation?.On);
        var ended = d.Revocation?.On is { } r ? r : (LocalDate?)null;
        if (c.WithdrawnOn is { } wd && (ended is null || wd < ended))
        {
            ended = wd;
        }

        foreach (var renewal in d.RenewedOn.Where(x => ended is { } e && x >= e))
        {
            c.Reasons.Add($"{what} ended on {Iso(ended!.Value)}; its renewal on {Iso(renewal)} is refused");
        }

        if (d.Revocation is { } revocation)
        {
            if (revocation.On is not { } on)
            {
                c.Reasons.Add($"the revocation of {what} has no date (on)");
            }
            else if (!Enum.IsDefined(revocation.Reason))
            {
                c.Reasons.Add($"{what}: revocation reason {(int)revocation.Reason} is unknown");
            }
            else
            {
                // Valid on the revocation day, judged by the renewals made before it.
                var before = new FirmaDevice(serial, d.Kind, issued, d.RenewedOn.Where(x => x < on));
                if (on < before.ValidFrom || before.IsExpiredOn(on))
                {
                    c.Reasons.Add($"{what} can be revoked only while its certificates are valid, from {Iso(before.ValidFrom)} to "
                        + $"{Iso(before.ExpiresOn.PlusDays(-1))}; a revocation on {Iso(on)} is refused");
                }
            }
        }
    }

    private static void CheckService(Context c, ImportService s)
    {
        var serviceId = s.Service?.Trim() ?? string.Empty;
        var label = string.IsNullOrWhiteSpace(s.Label) ? "1" : s.Label.Trim();
        if (serviceId.Length == 0 || serviceId.Contains('/', StringComparison.Ordinal) || label.Contains('/', StringComparison.Ordinal))
        {
            c.Reasons.Add($"a service of {c.Subject} has service '{serviceId}' and label '{label}'; both must be given and contain no '/'");
            return;
        }

        var what = $"service {HostedServiceKey.For(c.EnteId, serviceId, label)}";
        if (s.ActivatedOn is not { } activated)
        {
            c.Reasons.Add($"{what} has no activation date (activatedOn)");
            return;
        }

        Try(c.Reasons, () => Guard.Quantity(s.Quantity, $"quantity of {what}"));
        var variant = string.IsNullOrWhiteSpace(s.Variant) ? null : s.Variant.Trim();
        if (c.Listino is { } listino)
        {
            CatalogueService? service = null;
            if (Try(c.Reasons, () => service = CatalogueChecks.Service(listino, serviceId, variant, activated), what) && service is not null)
            {
                if (s.AgreedPrice is { } price)
                {
                    Try(c.Reasons, () => Guard.Amount(price, $"agreed price of {what}"));
                }

                // The pricing core's own rules, so that what it could not price is refused here.
                if (Priceability.AgreedPriceError(service, variant, s.AgreedPrice, what) is { } priceError)
                {
                    c.Reasons.Add(priceError.Message);
                }

                Try(c.Reasons, () => Priceability.CheckQuantity(service, variant, s.Quantity, what));
                var counted = Priceability.CountedUnit(service, variant);
                foreach (var change in s.QuantityChanges)
                {
                    Try(c.Reasons, () => Guard.WholeUnitsOf(change.Quantity, counted, $"quantity of {what} from {(change.EffectiveOn is { } on ? Iso(on) : "?")}"));
                }

                foreach (var use in s.Consumption)
                {
                    CheckConsumption(c, what, listino, serviceId, variant, use);
                }
            }
        }

        var lifecycle = Lifecycle(c, what, activated, activated, s.Disdetta);
        if (lifecycle is null)
        {
            return;
        }

        if (s.CeasedOn is { } ceased)
        {
            Try(c.Reasons, () => lifecycle = lifecycle.WithCessation(ceased));
        }

        CheckQuantities(c, what, lifecycle, s.QuantityChanges, "quantity", allowActivationDay: false);
        foreach (var dup in s.Consumption.GroupBy(x => x.Id?.Trim() ?? string.Empty).Where(g => g.Count() > 1))
        {
            c.Reasons.Add($"consumption entry '{dup.Key}' of {what} appears {dup.Count()} times; each record has its own id");
        }

        foreach (var use in s.Consumption)
        {
            if (Dated(c, what, "consumption", use.RecordedOn) is { } on)
            {
                NotFuture(c, $"consumption '{use.Id}' of {what}", FactKind.Consumption, on);
                Try(c.Reasons, () => lifecycle.CheckActiveOn(on, "consumption"));
            }
        }
    }

    private static void CheckConsumption(Context c, string what, Listino listino, string serviceId, string? variant, ImportConsumption use)
    {
        if (string.IsNullOrWhiteSpace(use.Id))
        {
            c.Reasons.Add($"a consumption record of {what} has no id; give the work order or document number that identifies it");
        }

        Try(c.Reasons, () => Guard.PositiveQuantity(use.Quantity, $"consumption '{use.Id}' of {what}"));
        CatalogueService? service = null;
        if (use.RecordedOn is not { } on
            || !Try(c.Reasons, () => service = CatalogueChecks.Service(listino, serviceId, variant, on), what) || service is null)
        {
            return;
        }

        // The rule the pricing core applies: a record it could not price is refused, naming the components.
        Try(c.Reasons, () => _ = Priceability.ConsumptionComponent(service, variant, use.Component, $"consumption '{use.Id}' of {what}").Value);
    }

    /// <summary>The object's lifecycle as the document gives it, ended by the ente's withdrawal; null (with reasons) when not active.</summary>
    private static ServiceLifecycle? Lifecycle(Context c, string what, LocalDate requested, LocalDate? activatedOn, ImportDisdetta? disdetta)
    {
        ServiceLifecycle? lifecycle = null;
        if (!Try(c.Reasons, () => lifecycle = ServiceLifecycle.Request(what, requested)) || lifecycle is null)
        {
            return null;
        }

        if (activatedOn is not { } activated)
        {
            return null;
        }

        if (!Try(c.Reasons, () => lifecycle = lifecycle.WithActivation(activated, c.AdheredOn)))
        {
            return null;
        }

        if (c.WithdrawnOn is { } w && activated >= w)
        {
            c.Reasons.Add($"{what} cannot be active from {Iso(activated)}: {c.Subject} withdrew from the CST on {Iso(w)}");
            return null;
        }

        if (disdetta is not null)
        {
            if (disdetta.ReceivedOn is not { } received)
            {
                c.Reasons.Add($"the disdetta of {what} has no date (receivedOn)");
            }
            else
            {
                NotFuture(c, what, FactKind.DisdettaReceived, received);
                if (c.WithdrawnOn is { } wd && received >= wd)
                {
                    c.Reasons.Add($"the disdetta of {what} received on {Iso(received)} comes after {c.Subject} withdrew on {Iso(wd)}");
                }

                Try(c.Reasons, () => lifecycle = lifecycle.WithDisdetta(received, disdetta.Evidence));
            }
        }

        if (c.WithdrawnOn is { } end)
        {
            Try(c.Reasons, () => lifecycle = lifecycle.WithCessation(end));
        }

        return lifecycle;
    }

    private static void CheckQuantities(Context c, string what, ServiceLifecycle lifecycle, ImmutableList<ImportQuantity> changes,
        string field, bool allowActivationDay)
    {
        foreach (var dup in changes.Where(x => x.EffectiveOn is not null).GroupBy(x => x.EffectiveOn).Where(g => g.Count() > 1))
        {
            c.Reasons.Add($"{what} has {dup.Count()} changes of {field} on {Iso(dup.Key!.Value)}; give one per day");
        }

        foreach (var change in changes)
        {
            if (Dated(c, what, $"change of {field}", change.EffectiveOn) is not { } on)
            {
                continue;
            }

            Try(c.Reasons, () => Guard.Quantity(change.Quantity, $"{field} of {what} from {Iso(on)}"));
            if (!allowActivationDay && on == lifecycle.ActivatedOn)
            {
                c.Reasons.Add($"{what} has a {field} change on its activation day {Iso(on)}; give that {field} at activation instead");
            }

            Try(c.Reasons, () => lifecycle.CheckActiveOn(on, $"change of {field}"));
        }
    }

    /// <summary>DESIGN rule 14: a fact that reports what happened cannot be dated after today.</summary>
    private static void NotFuture(Context c, string what, FactKind kind, LocalDate? on)
    {
        if (on is { } date && c.Today is { } today)
        {
            Try(c.Reasons, () => FactDates.Check(kind, date, today, what));
        }
    }

    private static LocalDate? Dated(Context c, string what, string change, LocalDate? date)
    {
        if (date is null)
        {
            c.Reasons.Add($"a {change} of {what} has no date");
        }

        return date;
    }

    /// <summary>Runs a domain check; a domain error becomes a reason (prefixed with <paramref name="what"/> when its message may not name it).</summary>
    private static bool Try(List<string> reasons, Action check, string? what = null)
    {
        try
        {
            check();
            return true;
        }
        catch (DomainException e)
        {
            reasons.Add(what is null || e.Message.Contains(what, StringComparison.Ordinal) ? e.Message : $"{what}: {e.Message}");
            return false;
        }
    }

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private sealed record Context(string Subject, string EnteId, LocalDate AdheredOn, LocalDate? WithdrawnOn, Listino? Listino, List<string> Reasons)
    {
        public string ListinoId => Listino?.Id ?? DefaultListino;

        /// <summary>The cluster's business date, when known: reported facts cannot come after it.</summary>
        public LocalDate? Today { get; init; }
    }
}
