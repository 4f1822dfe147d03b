using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// Something that falls due on a date, for one subject (a mailbox, a device, a service). Kind, due date and subject
/// identify it, so a grain can record that it has handled it and handle it only once.
/// </summary>
/// <param name="Kind">What falls due.</param>
/// <param name="Due">The day it falls due.</param>
/// <param name="Subject">What it concerns, in words ("PEC mailbox protocollo@pec.comune.padova.it").</param>
/// <param name="Description">A plain sentence for the operator and for notices.</param>
public sealed record Deadline(DeadlineKind Kind, LocalDate Due, string Subject, string Description)
{
    public override string ToString() => $"{DomainText.Date(Due)} {Kind}: {Description}";
}
