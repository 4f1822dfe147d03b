namespace Cst.Actors.Contracts;

/// <summary>Grain storage provider names shared by grains (<c>[PersistentState(name, StorageNames.Default)]</c>) and the silo.</summary>
public static class StorageNames
{
    /// <summary>The ADO.NET grain storage on the project's PostgreSQL database.</summary>
    public const string Default = "cst";
}
