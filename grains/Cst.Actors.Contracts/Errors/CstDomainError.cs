namespace Cst.Actors.Contracts.Errors;

/// <summary>
/// A broken business rule or a bad input, as it reaches a caller: the plain message for the operator (it names the
/// object and the values), the kind of error and the object concerned. Produced in one place, the silo's grain call
/// filter, from the domain's exceptions; nothing was changed by the call that raised it.
/// </summary>
[GenerateSerializer, Alias("cst.CstDomainError")]
public sealed class CstDomainError : Exception
{
    public CstDomainError(string kind, string entity, string message)
        : base(message)
    {
        Kind = kind;
        Entity = entity;
    }

    public CstDomainError()
        : this("DomainError", string.Empty, "A business rule was broken.")
    {
    }

    public CstDomainError(string message)
        : this("DomainError", string.Empty, message)
    {
    }

    public CstDomainError(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = "DomainError";
        Entity = string.Empty;
    }

    /// <summary>The kind of error: the domain exception's name without "Exception" (IllegalTransition, InvalidCodiceFiscale...).</summary>
    [Id(0)]
    public string Kind { get; private set; }

    /// <summary>The grain the call was made to ("pecmailbox/protocollo@pec.comune.padova.it").</summary>
    [Id(1)]
    public string Entity { get; private set; }
}

/// <summary>
/// The database or another piece of infrastructure failed (PostgreSQL down, a constraint broken by a bug). Carries the
/// plain message only: driver exceptions cannot be serialized to the caller.
/// </summary>
[GenerateSerializer, Alias("cst.CstInfrastructureError")]
public sealed class CstInfrastructureError : Exception
{
    public CstInfrastructureError()
        : this("An infrastructure operation failed.")
    {
    }

    public CstInfrastructureError(string message)
        : base(message)
    {
    }

    public CstInfrastructureError(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
