using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>
/// The log's writer lock: an flock(2) on <c>lock</c> in the log folder, taken exclusively around each batch (and each
/// purge round), so a second process (<c>proctor audit hold</c> beside a running gateway) appends between batches instead
/// of over them. Readers take it shared only to wait out an in-place rewrite. The file is opened with open(2) directly:
/// .NET's own open would take a shared flock of its own on it.
/// </summary>
internal sealed partial class LogLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);
    private readonly SafeFileHandle _file;
    private readonly string _path;

    private LogLock(SafeFileHandle file, string path)
    {
        _file = file;
        _path = path;
    }

    /// <param name="create">Open for writing, creating it if needed; otherwise open an existing file read-only (enough to take a shared lock).</param>
    public static LogLock Open(string path, bool create)
    {
        const int ReadOnly = 0, ReadWrite = 2, Create = 0x40, CloseOnExec = 0x80000;
        var fd = OpenFile(path, (create ? ReadWrite | Create : ReadOnly) | CloseOnExec, Convert.ToInt32("600", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open the ledger log's lock file {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
        }
        return new LogLock(new SafeFileHandle(fd, ownsHandle: true), path);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the lock; false if another process kept it that long.</summary>
    public bool TryEnter(bool exclusive, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!Posix.TryLock(_file, exclusive, _path))
        {
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }
            Thread.Sleep(Poll);
        }
        return true;
    }

    public void Exit() => Posix.ReleaseLock(_file);

    public void Dispose() => _file.Dispose();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags, int mode);
}
