using System.Diagnostics;

namespace Cst.Actors.Silo.Database;

/// <summary>
/// An advisory lock on a file beside the data directory. .NET takes it with <c>flock</c> when it opens the file
/// (<see cref="FileShare.None"/>: exclusive, otherwise shared), and the kernel drops it when the file is closed or
/// its process ends, however it ends (even <c>kill -9</c>): a lock nobody holds means no live process claims it.
/// </summary>
internal sealed class ServerFileLock : IDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _file;

    private ServerFileLock(FileStream file) => _file = file;

    /// <summary>Takes the lock without waiting; null while another holder (another process, or another open of the file) has a conflicting one.</summary>
    public static ServerFileLock? TryTake(string path, bool exclusive)
    {
        Create(path);
        try
        {
            return new ServerFileLock(new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = exclusive ? FileAccess.ReadWrite : FileAccess.Read,
                Share = exclusive ? FileShare.None : FileShare.ReadWrite,
            }));
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            // The open fails with a sharing violation when flock would block.
            return null;
        }
    }

    /// <summary>Takes the lock, waiting at most <paramref name="bound"/> for the holder to release it.</summary>
    /// <exception cref="LocalPostgresException">Still held after <paramref name="bound"/>; the message is <paramref name="held"/>.</exception>
    public static async Task<ServerFileLock> TakeAsync(string path, bool exclusive, TimeSpan bound, string held, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (TryTake(path, exclusive) is { } taken)
            {
                return taken;
            }

            if (waited.Elapsed > bound)
            {
                throw new LocalPostgresException(held);
            }

            await Task.Delay(Pause, ct).ConfigureAwait(false);
        }
    }

    public void Dispose() => _file.Dispose();

    private static void Create(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var created = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by another process: fine.
        }
    }
}
