using System.Text;
using Cst.Actors.Contracts;
using Cst.Actors.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// A grain state as Orleans' ADO.NET grain storage (<see cref="StorageNames.Default"/>) stores it, so that a row the
/// import's batch writer inserts is the row the grain reads on activation: the key columns as the provider derives
/// them from the grain id (a string key that reads as a hexadecimal number is an integer key), the id and type hashes
/// from the provider's own hasher, the payload from the provider's own serializer.
/// </summary>
internal sealed class AdoNetStateRowFormat(IServiceProvider services, IOptions<ClusterOptions> cluster) : IStateRowFormat
{
    private AdoNetGrainStorage? _storage;

    public string ServiceId { get; } = cluster.Value.ServiceId;

    private AdoNetGrainStorage Storage => _storage ??= services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default) as AdoNetGrainStorage
        ?? throw new InvalidOperationException($"grain storage {StorageNames.Default} is not Orleans' ADO.NET storage");

    public StateRow Format<T>(string stateName, GrainId grainId, T state) =>
        KeyOf(stateName, grainId) with
        {
            Payload = (Storage.Serializer ?? throw new InvalidOperationException("grain storage has no serializer")).Serialize(state).ToArray(),
        };

    public T Read<T>(byte[] payload) =>
        (Storage.Serializer ?? throw new InvalidOperationException("grain storage has no serializer")).Deserialize<T>(new BinaryData(payload))
        ?? throw new InvalidOperationException($"a stored payload of {payload.Length} bytes read as no {typeof(T).Name}");

    public StateRow KeyOf(string stateName, GrainId grainId)
    {
        long n0 = 0, n1 = 0;
        string? extension;
        byte[] keyBytes;
        if (grainId.TryGetGuidKey(out var guid, out extension))
        {
            var bytes = guid.ToByteArray();
            n0 = BitConverter.ToInt64(bytes, 0);
            n1 = BitConverter.ToInt64(bytes, 8);
            keyBytes = WithExtension(bytes, extension);
        }
        else if (grainId.TryGetIntegerKey(out var integer, out extension))
        {
            n1 = integer;
            keyBytes = WithExtension(BitConverter.GetBytes(integer), extension);
        }
        else
        {
            extension = grainId.Key.ToString();
            keyBytes = Encoding.UTF8.GetBytes(extension);
        }

        // The provider hashes the key's bytes in big-endian order.
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(keyBytes);
        }

        var storage = Storage;
        var hasher = storage.HashPicker.PickHasher<object>(ServiceId, StorageNames.Default, stateName, grainId, null!)
            ?? throw new InvalidOperationException("grain storage picked no hasher");
        return new StateRow(hasher.Hash(keyBytes), hasher.Hash(Encoding.UTF8.GetBytes(stateName)), stateName, n0, n1, extension, []);
    }

    private static byte[] WithExtension(byte[] key, string? extension) =>
        extension is null ? key : [.. key, .. Encoding.UTF8.GetBytes(extension)];
}
