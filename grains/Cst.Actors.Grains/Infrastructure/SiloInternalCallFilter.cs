using System.Collections.Concurrent;
using System.Reflection;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Errors;
using Microsoft.Extensions.Logging;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>
/// Refuses a client's call to a method marked <see cref="SiloInternalAttribute"/>, before the grain sees it. Only a
/// call whose source is a grain passes: Orleans gives a client's call (through a gateway, or the silo's own hosted
/// client) a client id as source (<see cref="GrainTypePrefix.IsClient(in GrainId)"/>), and a call with no source is refused too, as nothing vouches for it.
/// The interfaces are public in the contracts, so hiding them would not do: anyone can declare the same interface.
/// </summary>
public sealed class SiloInternalCallFilter(ILogger<SiloInternalCallFilter> logger) : IIncomingGrainCallFilter
{
    /// <summary>The <see cref="CstDomainError.Kind"/> of the refusal.</summary>
    public const string Kind = "SiloInternal";

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsInternal(context.InterfaceMethod) || IsFromGrain(context.SourceId))
        {
            return context.Invoke();
        }

        var method = $"{context.InterfaceMethod.DeclaringType?.Name}.{context.InterfaceMethod.Name}";
        logger.LogWarning("Refused a call to {Method} on {Target} from {Source}: the method is internal to the silo",
            method, context.TargetId, context.SourceId?.ToString() ?? "(no source)");
        throw new CstDomainError(Kind, context.TargetId.ToString(),
            $"{method} is called only by the cluster's own grains; a client cannot call it (nothing was changed)");
    }

    /// <summary>Whether each interface method is internal, looked up by reflection once per method rather than on every call.</summary>
    private static readonly ConcurrentDictionary<MethodInfo, bool> Internal = new();

    private static bool IsInternal(MethodInfo? method) =>
        method is not null && Internal.GetOrAdd(method, static m =>
            m.IsDefined(typeof(SiloInternalAttribute), inherit: false)
            || m.DeclaringType?.IsDefined(typeof(SiloInternalAttribute), inherit: false) == true);

    private static bool IsFromGrain(GrainId? source) =>
        source is { } id && !id.IsDefault && !GrainTypePrefix.IsClient(id);
}
