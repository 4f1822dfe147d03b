namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// Files the console reads (an import, a listino) and writes (<c>--out</c>): a path that cannot be used is one plain
/// line naming it, as the operator gave it, never the runtime's exception.
/// </summary>
public static class FilePaths
{
    /// <summary>Refuses a path that is not a readable file (a directory, a missing file) before anything is read.</summary>
    public static void CheckReadable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new InputException($"{path} is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            throw new InputException($"{path} does not exist");
        }
    }

    /// <summary>Runs <paramref name="write"/>, which writes to <paramref name="path"/>; a failure names the path and why.</summary>
    public static async Task<T> WritingAsync<T>(string path, Func<Task<T>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            return await write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InputException($"cannot write to {path}: {Why(e, path)}");
        }
    }

    /// <summary>Why a path could not be read or written, in words.</summary>
    public static string Why(Exception e, string path)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            UnauthorizedAccessException when Directory.Exists(path) && !File.Exists(path) && Path.HasExtension(path) => "it is a directory, not a file",
            UnauthorizedAccessException => $"permission denied to user {Environment.UserName}",
            DirectoryNotFoundException or FileNotFoundException => "no such directory, or none can be created there",
            PathTooLongException => "the path is too long",
            _ => e.Message.ReplaceLineEndings(" ").Trim(),
        };
    }
}
