namespace Cst.Actors.Domain.Enti;

/// <summary>The kind of public body an ente is. Stored values are explicit because grains persist them.</summary>
public enum EnteKind
{
    /// <summary>A municipality (<i>Comune</i>): identified by its ISTAT code.</summary>
    Comune = 1,

    /// <summary>A union of municipalities (<i>Unione di Comuni</i>), often the lead body of an associated management.</summary>
    UnioneDiComuni = 2,

    /// <summary>A mountain community (<i>Comunita montana</i>).</summary>
    ComunitaMontana = 3,

    /// <summary>A province.</summary>
    Provincia = 4,

    /// <summary>Any other public body (consortium, school, health or social agency...).</summary>
    AltroEnte = 5,
}
