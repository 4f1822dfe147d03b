using System.Collections.Immutable;

namespace Cst.Actors.Domain.Catalogue;

/// <summary>
/// A tier an operator names for a PEC mailbox (standard, silver...) and the variant of the listino's PEC service that
/// prices it; null when the service has no variants, so the tier is priced by the service itself (CIT Brescia).
/// </summary>
public sealed record PecTier(string Name, string? Variant);

/// <summary>
/// Which service of a listino version is the PEC mailbox service and which of its variants are the mailbox tiers
/// (the version's <c>pec_mailbox</c>), so a mailbox keyed by address can be billed from any centre's listino.
/// </summary>
public sealed record PecMailboxService(string ServiceId, ImmutableArray<PecTier> Tiers)
{
    /// <summary>
    /// The mapping of the Disciplinare of October 2020 (s.11), used for a version that declares nothing but lists s.11
    /// with these variants, so files written before <c>pec_mailbox</c> existed keep their meaning.
    /// </summary>
    public static PecMailboxService Disciplinare2020 { get; } = new("s.11",
    [
        new PecTier("standard", "pec-standard"),
        new PecTier("silver", "pec-silver"),
        new PecTier("gold", "pec-gold"),
        new PecTier("massiva", "pec-massiva"),
    ]);

    /// <summary>The tier named <paramref name="name"/> (case-insensitive, trimmed), or null.</summary>
    public PecTier? Find(string? name)
    {
        var key = name?.Trim() ?? string.Empty;
        return Tiers.FirstOrDefault(t => string.Equals(t.Name, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The tier whose variant is <paramref name="variant"/> (empty or null for the service itself), or null.</summary>
    public PecTier? OfVariant(string? variant) =>
        Tiers.FirstOrDefault(t => (t.Variant ?? string.Empty) == (variant ?? string.Empty));
}
