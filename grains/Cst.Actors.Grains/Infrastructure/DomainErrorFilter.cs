using System.Data.Common;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>
/// The one place where domain exceptions become <see cref="CstDomainError"/> (serializable, with the plain message and
/// the grain concerned) and database exceptions become <see cref="CstInfrastructureError"/>, so nothing unserializable
/// leaves a grain. Grains call the domain and let its exceptions fly.
/// </summary>
public sealed class DomainErrorFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke().ConfigureAwait(false);
        }
        catch (DomainException e)
        {
            throw new CstDomainError(KindOf(e), context.TargetId.ToString(), e.Message);
        }
        catch (DbException e)
        {
            throw new CstInfrastructureError($"{context.TargetId}: the database failed: {e.Message}");
        }
    }

    private static string KindOf(Exception e)
    {
        var name = e.GetType().Name;
        return name.EndsWith("Exception", StringComparison.Ordinal) ? name[..^"Exception".Length] : name;
    }
}
