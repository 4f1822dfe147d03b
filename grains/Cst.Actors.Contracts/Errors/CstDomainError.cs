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

    /// <summary>A refusal with its stable code and values, which clients render in the operator's language.</summary>
    public CstDomainError(string kind, string entity, string message, string? code, IReadOnlyList<string> args)
        : this(kind, entity, message)
    {
        ArgumentNullException.ThrowIfNull(args);
        Code = code;
        Args = [.. args];
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

    /// <summary>
    /// Which refusal this is (<c>Cst.Actors.Domain.RefusalCode</c>: "disdetta.twice"...), or null for a refusal
    /// known only by its English <see cref="Exception.Message"/>.
    /// </summary>
    [Id(2)]
    public string? Code { get; private set; }

    /// <summary>The values the refusal names, in the order its code documents (dates yyyy-MM-dd).</summary>
    [Id(3)]
    public string[] Args { get; private set; } = [];
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
