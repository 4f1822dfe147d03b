using Cst.Actors.Contracts.Enti;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Grains.Tests;

/// <summary>Fresh keys and registered enti for tests.</summary>
public static class TestEnti
{
    public const string Operator = "test-operator";
    public const string Listino = "cst-padova";

    private static int _next = Random.Shared.Next(1, 500);

    /// <summary>A new, valid ISTAT code no other test uses in this run.</summary>
    public static string NewIstatCode()
    {
        var n = Interlocked.Increment(ref _next);
        var province = 1 + (n / 999 % 998);
        var municipality = 1 + (n % 999);
        return $"{province:000}{municipality:000}";
    }

    /// <summary>A new, valid 11-digit codice fiscale of an ente.</summary>
    public static string NewCodiceFiscale()
    {
        var ten = Random.Shared.NextInt64(8_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ten + CodiceFiscaleEnte.ComputeCheckDigit(ten).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 10)];

    public static EnteRegistration Comune(string istat, string name, LocalDate adheredOn) =>
        new(name, EnteKind.Comune, istat, null, adheredOn, Listino, "protocollo@pec.comune.example.it", null, "Ufficio CED");

    /// <summary>Registers a new Comune adhered on <paramref name="adheredOn"/> and returns its key.</summary>
    public static async Task<string> NewComuneAsync(IClusterClient client, LocalDate adheredOn, string? name = null)
    {
        var istat = NewIstatCode();
        await client.GetGrain<IEnteGrain>(istat).RegisterAsync(Comune(istat, name ?? "Comune di Prova " + istat, adheredOn), Operator);
        return istat;
    }

    public static string NewMailboxAddress() => $"{Unique("box")}@pec.comune.example.it";

    public static string NewSerial() => Unique("BK-").ToUpperInvariant();
}
