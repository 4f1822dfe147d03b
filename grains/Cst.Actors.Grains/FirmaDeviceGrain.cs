using Cst.Actors.Contracts.Import;
using System.Collections.Immutable;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Validation;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Grains;

/// <summary>The stored record of a firma device. Never renumber the ids.</summary>
[GenerateSerializer, Immutable, Alias("cst.FirmaDeviceState")]
public sealed record FirmaDeviceState : IOwnedObjectState<FirmaDeviceState>
{
    [Id(0)] public string EnteId { get; init; } = string.Empty;

    [Id(1)] public FirmaDeviceKind Kind { get; init; }

    [Id(2)] public string Holder { get; init; } = string.Empty;

    /// <summary>The issue date; null until issued.</summary>
    [Id(3)] public LocalDate? IssuedOn { get; init; }

    [Id(4)] public ImmutableList<LocalDate> RenewedOn { get; init; } = [];

    [Id(5)] public LocalDate? RevokedOn { get; init; }

    [Id(6)] public RevocationReason? RevocationReason { get; init; }

    /// <summary>The ente's withdrawal, which ends the device as a billed subscription and stops its deadlines.</summary>
    [Id(7)] public LocalDate? WithdrawnOn { get; init; }

    [Id(8)] public long Version { get; init; }

    [Id(9)] public DeadlineProgress Deadlines { get; init; } = DeadlineProgress.None;

    public bool Exists => IssuedOn is not null;

    /// <summary>The first day the device is no longer in service other than by expiry: revocation or withdrawal.</summary>
    public LocalDate? EndedOn => (RevokedOn, WithdrawnOn) switch
    {
        ({ } r, { } w) => LocalDate.Min(r, w),
        ({ } r, null) => r,
        (null, { } w) => w,
        _ => null,
    };

    public FirmaDeviceState WithBookkeeping(long version, DeadlineProgress deadlines) =>
        this with { Version = version, Deadlines = deadlines };

    /// <summary>The audit rows of the last change until they are written (<see cref="OwnedObjectGrain{TState}"/>).</summary>
    [Id(10)] public ImmutableList<AuditEntry> PendingAudit { get; init; } = [];

    public FirmaDeviceState WithPendingAudit(ImmutableList<AuditEntry> pending) => this with { PendingAudit = pending };
}

/// <summary>
/// A firma device (BusinessKey or firma remota), keyed by serial: issued to a holder, renewed up to the day before the
/// expiry of its certificates (3 years from issue or last renewal), revoked when lost or stolen, expired on the expiry
/// date. The domain's <see cref="FirmaDevice"/> decides renewals and gives the deadlines (warnings 90, 30 and 7 days
/// before expiry, the last renewal day, the expiry).
/// </summary>
[GrainType("firmadevice")]
[CollectionAgeLimit(Minutes = OwnedObjectCollection.AgeMinutes)]
public sealed class FirmaDeviceGrain(
    [PersistentState("firmadevice", StorageNames.Default)] IPersistentState<FirmaDeviceState> state,
    GrainServices services)
    : OwnedObjectGrain<FirmaDeviceState>(state, services), IFirmaDeviceGrain
{
    private const string StateStorageName = "firmadevice";

    protected override string StateName => StateStorageName;

    protected override ChildKind Kind => ChildKind.FirmaDevice;

    protected override string AuditObject => "firma:" + Key;

    protected override string Subject => "firma device " + Key;

    public Task<ImportedChild> ImportAsync(string enteId, ImportDevice device, string operatorName) =>
        ApplyAsOneAsync(() => ImportSteps.DeviceAsync(this, enteId, device, operatorName));

    public async Task<FirmaDeviceView> IssueAsync(FirmaDeviceIssue issue, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var op = BusinessTime.Operator(operatorName);
        CheckSerial();
        if (!Enum.IsDefined(issue.Kind))
        {
            throw new UnknownCatalogueItemException(string.Empty, issue.Kind.ToString(),
                $"{Subject}: device kind {(int)issue.Kind} is unknown; it is BusinessKey or FirmaRemota");
        }

        if (string.IsNullOrWhiteSpace(issue.Holder))
        {
            throw new OutOfRangeException("holder", string.Empty, $"{Subject} has no holder; name the person it is issued to");
        }

        Guard.Text(issue.Holder, $"holder of {Subject}", Guard.MaxNameLength);
        Guard.Date(issue.IssuedOn, $"issue date of {Subject}");
        var wanted = new FirmaDeviceState
        {
            EnteId = issue.EnteId,
            Kind = issue.Kind,
            Holder = issue.Holder.Trim(),
            IssuedOn = issue.IssuedOn,
        };
        if (State.Exists)
        {
            if (State.EnteId == wanted.EnteId && State.Kind == wanted.Kind && State.Holder == wanted.Holder
                && State.IssuedOn == wanted.IssuedOn)
            {
                return View();
            }

            throw new IllegalTransitionException(Subject, "issue",
                $"{Subject} was already issued on {Iso(State.IssuedOn!.Value)} to {State.Holder} of ente {State.EnteId}; "
                + "a different issue for the same serial is refused")
            {
                Code = RefusalCode.FirmaAlreadyIssued, Args = [Subject, Iso(State.IssuedOn!.Value), State.Holder ?? string.Empty, State.EnteId],
            };
        }

        var membership = await MembershipAsync(issue.EnteId);
        var listino = await Services.Catalogue.GetAsync(membership.ListinoId);
        CatalogueChecks.Service(listino, CatalogueChecks.PecServiceId, VariantOf(issue.Kind), issue.IssuedOn);
        if (issue.IssuedOn < membership.AdheredOn)
        {
            throw new IllegalTransitionException(Subject, "issue",
                $"{Subject} cannot be issued on {Iso(issue.IssuedOn)}, before ente {issue.EnteId} adhered to the CST on {Iso(membership.AdheredOn)}");
        }

        await CommitAsync(wanted, "issue", op);
        return View();
    }

    public async Task<FirmaDeviceView> RenewAsync(LocalDate on, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        if (State.RenewedOn.Contains(on))
        {
            return View();
        }

        if (State.EndedOn is { } ended && on >= ended)
        {
            throw new IllegalTransitionException(Subject, "renewal",
                $"{Subject} was {(State.RevokedOn == ended ? "revoked" : "ended by the ente's withdrawal")} on {Iso(ended)}; "
                + $"a renewal on {Iso(on)} is refused");
        }

        FactDates.Check(FactKind.Renewal, on, Today, Subject);

        // The domain refuses a renewal on or after the expiry date (RenewalNotAllowedException).
        var renewed = Device(State).Renew(on);
        await CommitAsync(State with { RenewedOn = [.. renewed.RenewedOn] }, "renew", op);
        return View();
    }

    public async Task<FirmaDeviceView> RevokeAsync(LocalDate on, RevocationReason reason, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        if (!Enum.IsDefined(reason))
        {
            throw new OutOfRangeException("revocation reason", ((int)reason).ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{Subject}: revocation reason {(int)reason} is unknown");
        }

        FactDates.Check(FactKind.Revocation, on, Today, Subject);
        if (State.RevokedOn is { } revoked)
        {
            return revoked == on && State.RevocationReason == reason
                ? View()
                : throw new IllegalTransitionException(Subject, "revocation",
                    $"{Subject} was already revoked on {Iso(revoked)} ({State.RevocationReason}); another revocation on {Iso(on)} is refused")
                {
                    Code = RefusalCode.FirmaRevokedAlready, Args = [Subject, Iso(revoked), $"{State.RevocationReason}", Iso(on)],
                };
        }

        var device = Device(State);
        if (on < device.ValidFrom || device.IsExpiredOn(on))
        {
            throw new IllegalTransitionException(Subject, "revocation",
                $"{Subject} can be revoked only while its certificates are valid, from {Iso(device.ValidFrom)} to "
                + $"{Iso(device.ExpiresOn.PlusDays(-1))}; a revocation on {Iso(on)} is refused")
            {
                Code = RefusalCode.FirmaRevocationOutsideValidity,
                Args = [Subject, Iso(device.ValidFrom), Iso(device.ExpiresOn.PlusDays(-1)), Iso(on)],
            };
        }

        await CommitAsync(State with { RevokedOn = on, RevocationReason = reason }, "revoke", op);
        return View();
    }

    public async Task<ChildSnapshot> EndForWithdrawalAsync(LocalDate on, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        if (State.WithdrawnOn == on || on <= State.IssuedOn)
        {
            return SnapshotOf(State);
        }

        return await CommitAsync(State with { WithdrawnOn = on }, "end for withdrawal", op, tellEnte: false);
    }

    public Task<FirmaDeviceView> GetAsync()
    {
        EnsureExists();
        return Task.FromResult(View());
    }

    public async Task<FirmaDeviceView> HandleDeadlinesAsync()
    {
        EnsureExists();
        await HandleDueDeadlinesAsync(verifyReminder: true);
        return View();
    }

    protected override IDeadlineSchedule? ScheduleOf(FirmaDeviceState state)
    {
        if (!state.Exists)
        {
            return null;
        }

        var device = Device(state);
        return state.EndedOn is { } ended ? new EndedSchedule(device, ended) : device;
    }

    /// <summary>The device as billed: the one-off price at issue and the renewal fee at each renewal (s.11).</summary>
    protected override ImmutableList<Subscription> SubscriptionsOf(FirmaDeviceState state) =>
        state.IssuedOn is { } issued
            ? [new Subscription(Key, CatalogueChecks.PecServiceId, issued)
            {
                Variant = VariantOf(state.Kind),
                Renewals = state.RenewedOn,
                CeasedOn = state.EndedOn,
            }]
            : [];

    protected override string Summarize(FirmaDeviceState state)
    {
        if (state.IssuedOn is not { } issued)
        {
            return "not issued";
        }

        var device = Device(state);
        var text = $"{state.Kind} of ente {state.EnteId}, holder {state.Holder}, issued {Iso(issued)}, "
            + $"expires {Iso(device.ExpiresOn)}, status {StatusOf(state, Today)}";
        if (state.RenewedOn.Count > 0)
        {
            text += $", renewed {string.Join(", ", state.RenewedOn.Select(Iso))}";
        }

        if (state.RevokedOn is { } r)
        {
            text += $", revoked {Iso(r)} ({state.RevocationReason})";
        }

        return text;
    }

    private FirmaDevice Device(FirmaDeviceState state) => new(Key, state.Kind, state.IssuedOn!.Value, state.RenewedOn);

    private FirmaDeviceStatus StatusOf(FirmaDeviceState state, LocalDate today) =>
        state.EndedOn is { } ended && today >= ended ? FirmaDeviceStatus.Revoked
        : Device(state).IsExpiredOn(today) ? FirmaDeviceStatus.Expired
        : FirmaDeviceStatus.Valid;

    private void CheckSerial()
    {
        if (Key.Length is 0 or > 64 || !Key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new OutOfRangeException("device serial", Key,
                $"device serial '{Key}' must be 1 to 64 letters, digits, '-', '_' or '.'");
        }
    }

    private static string VariantOf(FirmaDeviceKind kind) =>
        kind == FirmaDeviceKind.FirmaRemota ? "firma-remota" : "businesskey";

    private FirmaDeviceView View()
    {
        var s = State;
        var device = Device(s);
        return new FirmaDeviceView(Key, s.EnteId, s.Kind, s.Holder, s.IssuedOn!.Value, s.RenewedOn, device.ExpiresOn,
            StatusOf(s, Today), s.RevokedOn, s.RevocationReason, s.Deadlines);
    }

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
