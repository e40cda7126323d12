using Microsoft.Data.Sqlite;
using Proctor.Storage.Sqlite.Ledger.Index;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Index;

/// <summary>
/// A round's events become rows of at most <see cref="IndexTables.MaxEventsPerRow"/> events, one (session, subject,
/// server) per row, and nothing is lost or moved between them, however the round's events are ordered or grouped.
/// </summary>
public class IndexTablesTests
{
    public static TheoryData<int, int> Rounds => new()
    {
        // (events, sessions): below, at and around the row bound, and one session far past it
        { 1, 1 }, { IndexTables.MaxEventsPerRow - 1, 1 }, { IndexTables.MaxEventsPerRow, 1 }, { IndexTables.MaxEventsPerRow + 1, 1 },
        { 3 * IndexTables.MaxEventsPerRow + 17, 1 }, { 5_000, 3 }, { 4_096, 4_096 },
    };

    [Theory]
    [MemberData(nameof(Rounds))]
    public void InsertEvents_AnyRound_RowsStayWithinTheBoundAndHoldEveryEventOnce(int count, int sessions)
    {
        var random = new Random(count * 31 + sessions);
        var events = Enumerable.Range(0, count)
            .Select(i => new IndexedEvent(100 + i, Guid.CreateVersion7().ToString("D"), "call.request", 1_700_000_000_000 + random.Next(0, 60_000),
                $"s-{i % sessions}", "alice", "bank") { Purged = i % 7 == 0 })
            .OrderBy(_ => random.Next()) // a round hands events over in any order
            .ToList();
        using var connection = Open();

        using (var transaction = connection.BeginTransaction())
        {
            IndexTables.InsertEvents(connection, transaction, events);
            transaction.Commit();
        }

        var rows = IndexTables.ReadRows(connection, null, "1 = 1");
        Assert.All(rows, row => Assert.InRange(row.Count, 1, IndexTables.MaxEventsPerRow));
        var fewestRows = events.GroupBy(e => e.SessionId).Sum(session => (session.Count() + IndexTables.MaxEventsPerRow - 1) / IndexTables.MaxEventsPerRow);
        Assert.Equal(fewestRows, rows.Count);
        var stored = rows.SelectMany(row =>
        {
            var unpacked = row.Unpack();
            Assert.Equal(row.Count, unpacked.Count);
            Assert.All(unpacked, e => Assert.Equal(row.SessionId, e.SessionId));
            Assert.Equal(unpacked.OrderBy(e => e.Index), unpacked); // each row in index order
            return unpacked;
        });
        Assert.Equal(events.OrderBy(e => e.Index), stored.OrderBy(e => e.Index));
    }

    private static SqliteConnection Open()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = IndexSchema.Create;
        command.ExecuteNonQuery();
        return connection;
    }
}
