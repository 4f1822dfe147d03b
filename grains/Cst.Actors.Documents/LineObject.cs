using Cst.Actors.Domain.Billing;

namespace Cst.Actors.Documents;

/// <summary>
/// What a statement line is for, in words an ente's accountant recognises: the mailbox address, the device serial,
/// the service's label, or the ente itself for the membership quota. Derived from the line's subscription, whose key
/// is the object's own key (a mailbox by address, a device by serial, a hosted service <c>ente/service/label</c>).
/// </summary>
public static class LineObject
{
    public static string Describe(BilledLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return BillingExport.ObjectOf(line.SubscriptionId);
    }
}
