using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// Command mode's stdout. Redirected to a pipe, it is written through descriptor 1 itself: .NET's Console.Out
/// ignores EPIPE on Unix (it pretends the write succeeded), so <c>cst deadlines --days 365 | head</c> read and wrote
/// the whole listing into nothing after head had gone. Through the descriptor a write to a pipe without a reader fails
/// with EPIPE, which command mode takes as the end (<see cref="Commands.CommandMode.ExitBrokenPipe"/>). The writer is
/// buffered: flushed after each window of a listing, before a message on stderr and at exit. A regular file gets the
/// same buffered writer over the console's stream; a terminal keeps Console.Out.
/// </summary>
public static class StandardOutput
{
    /// <summary>EPIPE on Linux (and on macOS): the error number an <see cref="IOException"/> from a write carries.</summary>
    private const int BrokenPipe = 32;

    public static TextWriter Open()
    {
        if (!Console.IsOutputRedirected || OperatingSystem.IsWindows())
        {
            return Console.Out;
        }

        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        if (stream.CanSeek)
        {
            // A regular file (cst ... > report.txt): FileStream writes it at a position of its own (pwrite) and leaves
            // the descriptor's offset, which the shell shares with the next command, where it was, so that command
            // would write over this output. The console's stream writes as write(2) does; a file has no reader to lose.
            stream.Dispose();
            return new StreamWriter(Console.OpenStandardOutput(), encoding, bufferSize: 64 * 1024) { AutoFlush = false };
        }

        return new StreamWriter(stream, encoding, bufferSize: 64 * 1024) { AutoFlush = false };
    }

    /// <summary>Whether the write failed because the reader of the pipe went away.</summary>
    public static bool IsBrokenPipe(IOException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.HResult == BrokenPipe || e.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase);
    }
}
