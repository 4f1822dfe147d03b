using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using NodaTime;

namespace Cst.Actors.Contracts.Import;

/// <summary>
/// The operations that bring one object to the facts of an import document, in date order: the same sequence as
/// <see cref="CstImporter"/>'s separate calls. Used by the objects' bulk <c>ImportAsync</c>, where the target is the
/// grain itself (plain method calls inside one activation, applied as one change). No <c>ConfigureAwait(false)</c>
/// here: inside a grain every continuation must stay on the activation's scheduler.
/// </summary>
public static class ImportSteps
{
    public static async Task MailboxAsync(IPecMailboxGrain mailbox, string enteId, ImportMailbox m, string op)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(m);
        await mailbox.RequestAsync(new PecMailboxRequest(enteId, m.Tier, m.RequestedOn!.Value, Blank(m.CustomDomainPack)), op);
        if (m.ActivatedOn is not { } activated)
        {
            return;
        }

        await mailbox.ActivateAsync(activated, op);
        var steps = new List<(LocalDate On, int Order, Func<Task> Run)>();
        steps.AddRange(m.TierChanges.Select(t => (t.EffectiveOn!.Value, 0, (Func<Task>)(() => mailbox.ChangeTierAsync(t.EffectiveOn!.Value, t.Tier, op)))));
        steps.AddRange(m.ExtraSpaceGb.Select(q => (q.EffectiveOn!.Value, 1, (Func<Task>)(() => mailbox.SetExtraSpaceAsync(q.EffectiveOn!.Value, q.Quantity, op)))));
        steps.AddRange(m.ConservazioneGb.Select(q => (q.EffectiveOn!.Value, 2, (Func<Task>)(() => mailbox.SetConservazioneAsync(q.EffectiveOn!.Value, q.Quantity, op)))));
        if (m.Disdetta is { ReceivedOn: { } received } d)
        {
            steps.Add((received, 3, () => mailbox.ReceiveDisdettaAsync(received, d.Evidence, op)));
        }

        await RunInDateOrderAsync(steps);
    }

    public static async Task DeviceAsync(IFirmaDeviceGrain device, string enteId, ImportDevice d, string op)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(d);
        await device.IssueAsync(new FirmaDeviceIssue(enteId, d.Kind, d.Holder.Trim(), d.IssuedOn!.Value), op);
        foreach (var renewal in d.RenewedOn.Order())
        {
            await device.RenewAsync(renewal, op);
        }

        if (d.Revocation is { On: { } on } revocation)
        {
            await device.RevokeAsync(on, revocation.Reason, op);
        }
    }

    public static async Task ServiceAsync(IHostedServiceGrain service, ImportService s, string op)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(s);
        await service.ActivateAsync(new HostedServiceActivation(Blank(s.Variant), s.ActivatedOn!.Value, s.Quantity, s.AgreedPrice), op);
        var steps = new List<(LocalDate On, int Order, Func<Task> Run)>();
        steps.AddRange(s.QuantityChanges.Select(q => (q.EffectiveOn!.Value, 0, (Func<Task>)(() => service.ChangeQuantityAsync(q.EffectiveOn!.Value, q.Quantity, op)))));
        steps.AddRange(s.Consumption.Select(c => (c.RecordedOn!.Value, 1, (Func<Task>)(() => service.RecordConsumptionAsync(
            new ConsumptionEntry(c.Id.Trim(), c.RecordedOn!.Value, c.Quantity, Blank(c.Component)), op)))));
        if (s.Disdetta is { ReceivedOn: { } received } d)
        {
            steps.Add((received, 2, () => service.ReceiveDisdettaAsync(received, d.Evidence, op)));
        }

        if (s.CeasedOn is { } ceased)
        {
            steps.Add((ceased, 3, () => service.CeaseAsync(ceased, op)));
        }

        await RunInDateOrderAsync(steps);
    }

    private static async Task RunInDateOrderAsync(List<(LocalDate On, int Order, Func<Task> Run)> steps)
    {
        foreach (var step in steps.OrderBy(s => s.On).ThenBy(s => s.Order))
        {
            await step.Run();
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
