namespace Cst.Actors.Contracts.Children;

/// <summary>Names one object of an ente, by kind and key, without any of its facts.</summary>
[GenerateSerializer, Immutable, Alias("cst.ChildKey")]
public sealed record ChildKey([property: Id(0)] ChildKind Kind, [property: Id(1)] string Key)
{
    /// <summary>The index key inside the ente, as <see cref="ChildSnapshot.IndexKey"/>.</summary>
    public string IndexKey => $"{Kind}:{Key}";
}
