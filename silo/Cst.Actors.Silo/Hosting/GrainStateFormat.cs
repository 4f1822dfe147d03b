using Cst.Actors.Contracts.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using Orleans.Storage;

namespace Cst.Actors.Silo.Hosting;

/// <summary>The format in which grain state is written to grain storage.</summary>
public static class GrainStateFormat
{
    /// <summary>
    /// Stores grain state in Orleans' own binary format (<see cref="OrleansGrainStorageSerializer"/>) for every
    /// storage provider of the silo, with the contracts' codecs (NodaTime surrogates, domain records as JSON) that
    /// messages use too.
    /// </summary>
    /// <remarks>
    /// Why this format: it is the serializer that already carries grain calls, so state uses the same
    /// <c>[GenerateSerializer]</c> types and the NodaTime surrogates of the contracts, with nothing else to keep in
    /// step; it is version tolerant through the <c>[Id]</c>s (fields can be added, unknown ones are skipped on read),
    /// and it is the most compact. The default (Newtonsoft JSON) writes NodaTime's <c>Instant</c> but cannot read it
    /// back. The price is that state is not readable with plain SQL; what accounting must query is written to the
    /// project's relational tables instead (DESIGN.md section 1).
    /// </remarks>
    public static ISiloBuilder UseCstGrainStateFormat(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddCstSerialization();

        // Orleans registers its JSON default with TryAdd; replace it whichever is registered first.
        builder.Services.RemoveAll<IGrainStorageSerializer>();
        builder.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        return builder;
    }
}
