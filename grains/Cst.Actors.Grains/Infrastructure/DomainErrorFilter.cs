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
            throw new CstDomainError(KindOf(e), context.TargetId.ToString(), e.Message, e.Code, e.Args);
        }
        catch (CstInfrastructureError e) when (e.InnerException is not null)
        {
            // The stores keep the driver's exception inside it for the silo's own use (BillingFaults); it has no codec,
            // so a failed close would reach the operator as a CodecNotFoundException. The message alone crosses.
            throw new CstInfrastructureError(e.Message);
        }
        catch (Exception e) when (e is not (CstDomainError or CstInfrastructureError) && DatabaseCause(e) is { } cause)
        {
            // Orleans' grain storage and reminder service wrap the driver's exception in their own; the driver's types
            // (PostgresException...) have no codec, so the caller would get only a CodecNotFoundException. The plain
            // message of the database error is what the operator needs.
            throw new CstInfrastructureError($"{context.TargetId}: the database failed: {cause.Message}");
        }
    }

    /// <summary>The database exception that caused <paramref name="e"/>, itself or one of its inner exceptions; null if none.</summary>
    public static DbException? DatabaseCause(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is DbException db)
            {
                return db;
            }

            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(DatabaseCause).FirstOrDefault(c => c is not null);
            }
        }

        return null;
    }

    private static string KindOf(Exception e)
    {
        var name = e.GetType().Name;
        return name.EndsWith("Exception", StringComparison.Ordinal) ? name[..^"Exception".Length] : name;
    }
}
