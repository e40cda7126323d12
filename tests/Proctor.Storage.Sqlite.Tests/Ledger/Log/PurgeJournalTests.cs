using Proctor.Ledger.Events;
using Proctor.Ledger.Log;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Log;

/// <summary>
/// A purge round that stops half way (a crash between writing its journal and removing it) is finished by the next
/// writer that opens the log, and hands the purged indexes to the index; a journal torn while being written is dropped
/// without touching a frame.
/// </summary>
public sealed class PurgeJournalTests : IDisposable
{
    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("proctor-journal-").FullName, "ledger.ledger");

    private LedgerLog Open() => new(_folder, new LogOptions(), () => 0);

    private static byte[] Canonical(int n) => EventJson.Canonical(LedgerFixture.Event(n));

    private List<FrameLocation> AppendFrames(LedgerLog log)
    {
        using var builder = new FrameBuilder();
        return [.. Enumerable.Range(0, 4).Select(f => log.Append(first =>
        {
            builder.Begin(first);
            for (var i = 0; i < 3; i++)
            {
                builder.AddEvent(Canonical(f * 3 + i));
            }
            return builder.Finish();
        }, 3))];
    }

    [Fact]
    public void Open_JournalLeftBeforeTheFramesWereOverwritten_ReplaysIt_AndReportsThePurgedIndexes()
    {
        List<FrameLocation> frames;
        byte[] before;
        List<byte[]> leaves;
        using (var log = Open())
        {
            frames = AppendFrames(log);
            leaves = [.. log.ReadEntries(0, 100, null).Select(e => e.LeafHash)];
            var segment = Assert.Single(LogFiles.Segments(_folder));
            before = File.ReadAllBytes(segment);
            // The round stops after the journal and the frames are written, before the index and the journal's removal.
            Assert.Throws<IOException>(() => log.Purge([(frames[1], [3L, 5L])], _ => throw new IOException("the process died here")));
            Assert.True(File.Exists(Path.Combine(_folder, "purge.journal")));
            File.WriteAllBytes(segment, before); // as if it died before overwriting any frame
        }

        using var reopened = Open();
        reopened.Open();

        Assert.Equal([3L, 5L], reopened.PendingPurge);
        var entries = reopened.ReadEntries(0, 100, null);
        Assert.Equal(12, entries.Count);
        Assert.Equal([3L, 5L], entries.Where(e => e.Bytes is null).Select(e => e.Index));
        Assert.Equal(leaves, entries.Select(e => e.LeafHash)); // purged payloads, every leaf hash kept
        reopened.PurgeReplayed();
        Assert.False(File.Exists(Path.Combine(_folder, "purge.journal")));
    }

    [Fact]
    public void Open_JournalTornWhileBeingWritten_IsDropped_AndNoFrameChanges()
    {
        byte[] before;
        using (var log = Open())
        {
            var frames = AppendFrames(log);
            before = File.ReadAllBytes(Assert.Single(LogFiles.Segments(_folder)));
            Assert.Throws<IOException>(() => log.Purge([(frames[1], [4L])], _ => throw new IOException("the process died here")));
            File.WriteAllBytes(Assert.Single(LogFiles.Segments(_folder)), before);
            var journal = Path.Combine(_folder, "purge.journal");
            File.WriteAllBytes(journal, File.ReadAllBytes(journal)[..^7]);
        }

        using var reopened = Open();
        reopened.Open();

        Assert.Null(reopened.PendingPurge);
        Assert.False(File.Exists(Path.Combine(_folder, "purge.journal")));
        Assert.Equal(before, File.ReadAllBytes(Assert.Single(LogFiles.Segments(_folder))));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);
}
