using Cst.Actors.Connection;
using Microsoft.Extensions.Configuration;

namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// Who the audit names for this console. Against a cluster with TLS it is the client certificate's subject (its CN):
/// the certificate is what the gateway authenticated, so nothing the operator types or exports may replace it. With
/// the embedded default's shared operators' certificate, which names nobody, and without TLS, it is the OS user.
/// </summary>
/// <remarks>
/// Decided here, in the client, not stamped by the silo: in Orleans 10.4 the gateway authenticates the certificate in
/// connection middleware (<c>ITlsConnectionFeature</c> on the connection's <c>ConnectionContext</c>), but the
/// client's identity is read from the connection preamble afterwards inside the internal <c>GatewayInboundConnection</c>,
/// and a message keeps no link to the connection it came on: neither <c>RequestContext</c> nor
/// <c>IIncomingGrainCallContext</c> can reach the certificate, and a call rerouted to another silo leaves it behind.
/// A client holding a personal certificate could therefore still run a modified console; the certificate, issued to
/// one person, is what makes that person answerable.
/// </remarks>
public static class OperatorIdentity
{
    /// <summary>A configuration key someone may try (<c>CST_Operator</c>, <c>CST_OPERATOR</c>): refused, never read.</summary>
    public const string RefusedKey = "Operator";

    /// <summary>The operator for the audit.</summary>
    /// <exception cref="CstConnectionException">An option or variable tries to set it, or the certificate cannot be read.</exception>
    public static string Resolve(CstClientSettings settings, IConfiguration configuration, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        string? certified;
        try
        {
            certified = settings.Tls?.Operator();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new CstConnectionException($"the client certificate {settings.Tls!.CertificateFile} cannot be read: {e.Message}") { SiloMayBeDown = false };
        }

        var named = certified is null
            ? $"the OS user ({Environment.UserName})"
            : $"the subject of the client certificate ({certified})";
        if (configuration[RefusedKey] is { Length: > 0 })
        {
            throw new CstConnectionException(
                $"{CstConnectionSettings.EnvironmentPrefix}{RefusedKey} is set, but the operator in the audit is {named}: unset it") { SiloMayBeDown = false };
        }

        if (GivesOperator(args))
        {
            throw new CstConnectionException($"--operator is not an option of cst: the operator in the audit is {named}") { SiloMayBeDown = false };
        }

        return certified ?? Environment.UserName;
    }

    /// <summary>The line tries <c>--operator</c>, which is refused with why before the line is parsed.</summary>
    public static bool GivesOperator(IReadOnlyList<string> args) =>
        args.TakeWhile(a => a != "--").Any(a => a == "--operator" || a.StartsWith("--operator=", StringComparison.Ordinal));

    /// <summary>Why <c>--operator</c> is refused.</summary>
    public const string OperatorOptionRefusal =
        "--operator is not an option of cst: the operator in the audit is the subject of the client certificate, or the OS user with this host's shared operators' certificate.";
}
