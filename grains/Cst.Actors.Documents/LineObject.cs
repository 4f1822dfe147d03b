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
        var id = line.SubscriptionId;
        if (string.IsNullOrEmpty(id))
        {
            return "ente (quota associativa)";
        }

        // A mailbox whose tier changed during the year bills each tier under address#tier.
        var key = id.Split('#')[0];
        if (key.StartsWith("pack:", StringComparison.Ordinal))
        {
            return "pacchetto PEC " + key["pack:".Length..];
        }

        if (key.Contains('@', StringComparison.Ordinal))
        {
            return "casella PEC " + key;
        }

        var parts = key.Split('/');
        if (parts.Length == 3)
        {
            return $"servizio {parts[1]} \"{parts[2]}\"";
        }

        return "dispositivo di firma " + key;
    }
}
