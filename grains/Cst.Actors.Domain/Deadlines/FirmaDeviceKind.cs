namespace Cst.Actors.Domain.Deadlines;

/// <summary>The two firma products of s.11; both carry certificates valid 3 years and are renewable.</summary>
public enum FirmaDeviceKind
{
    /// <summary>A USB token with the signature and authentication certificates.</summary>
    BusinessKey = 1,

    /// <summary>Remote signature (firma remota): a certificate held by the provider, used with an OTP.</summary>
    FirmaRemota = 2,
}
