using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>The few system calls .NET does not expose: data-only sync, whole-file locks, hole punching, directory sync.</summary>
internal static partial class Posix
{
    public const int LockShared = 1, LockExclusive = 2, LockNonBlocking = 4, Unlock = 8;
    private const int EWouldBlock = 11, EIntr = 4;
    private const int FallocKeepSize = 1, FallocPunchHole = 2;
    private const int ReadOnly = 0, Directory = 0x10000;

    /// <summary>fdatasync(2): the file's data and the metadata needed to read it back are on stable storage when this returns.</summary>
    public static void DataSync(SafeFileHandle file, string path)
    {
        while (FDataSync(Fd(file)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                throw new IOException($"fdatasync of {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
            }
        }
    }

    /// <summary>fsync(2) of a directory, so that a file created or renamed in it survives a power loss.</summary>
    public static void SyncDirectory(string path)
    {
        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open the directory {path} to sync it: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
        }
        try
        {
            if (FSync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fsync of the directory {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>flock(2) without waiting: true if taken, false if another open file holds a conflicting lock.</summary>
    public static bool TryLock(SafeFileHandle file, bool exclusive, string path)
    {
        while (true)
        {
            if (Flock(Fd(file), (exclusive ? LockExclusive : LockShared) | LockNonBlocking) == 0)
            {
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EWouldBlock)
            {
                return false;
            }
            if (errno != EIntr)
            {
                throw new IOException($"flock of {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
            }
        }
    }

    public static void ReleaseLock(SafeFileHandle file) => _ = Flock(Fd(file), Unlock);

    /// <summary>Gives the blocks of a zeroed range back to the file system, where it can (ext4, xfs); elsewhere the zeros stay.</summary>
    public static void TryPunchHole(SafeFileHandle file, long offset, long length) =>
        _ = Fallocate(Fd(file), FallocPunchHole | FallocKeepSize, offset, length);

    private static int Fd(SafeFileHandle file) => (int)file.DangerousGetHandle();

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(int fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(int fd, int mode, long offset, long length);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
