using System.Text.Json;
using Microsoft.Data.Sqlite;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Retention;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;
using Proctor.Storage.Sqlite.Ledger;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

/// <summary>A real ledger in a temporary directory: store, appender, signer and checkpointer.</summary>
internal sealed class LedgerFixture : IAsyncDisposable
{
    private LedgerFixture(string directory, SqliteLedgerStore store, EcdsaFileSigner signer)
    {
        Directory = directory;
        Store = store;
        Signer = signer;
        Ledger = new AuditLedger(store);
        Checkpointer = new Checkpointer(store, signer, new CheckpointerOptions { Origin = "bank.example/ledger" }, TimeProvider.System);
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "ledger.db");

    /// <summary>The log folder beside the database, where entries are committed.</summary>
    public string LogFolder => Store.LogFolderPath;
    public SqliteLedgerStore Store { get; }
    public EcdsaFileSigner Signer { get; }
    public AuditLedger Ledger { get; }
    public Checkpointer Checkpointer { get; }

    public static async Task<LedgerFixture> CreateAsync(TimeSpan? busyTimeout = null, LogOptions? log = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("proctor-ledger-").FullName;
        var store = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, "ledger.db"), log ?? new LogOptions(), busyTimeout);
        return new LedgerFixture(directory, store, EcdsaFileSigner.OpenOrCreate(Path.Combine(directory, "ledger.key"), "bank.example/ledger"));
    }

    public static LedgerEvent Event(int n, string session = "s-1", string subject = "alice", DateTimeOffset? time = null) => new()
    {
        Id = EventIds.New(TimeProvider.System),
        Kind = n % 2 == 0 ? EventKinds.CallRequest : EventKinds.CallResponse,
        Time = time ?? DateTimeOffset.UtcNow,
        CallId = $"call-{n / 2}",
        Actor = new EventActor { Subject = subject, Issuer = "https://idp.bank.example", Amr = ["pwd", "mfa"], SourceAddress = "10.0.0.7" },
        Location = new EventLocation { Server = "bank", Transport = "stdio", ProtocolVersion = "2025-11-25", SessionId = session, GatewayNode = "gw-1" },
        Action = new EventAction { Method = "tools/call", Name = "search_customers", Arguments = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["query"] = $"name {n}", ["ssn"] = "[SSN]" }) },
        Traffic = new EventTraffic { BytesIn = 120, MaskedEntities = new Dictionary<string, int> { ["ssn"] = 1 } },
    };

    public async Task AppendAsync(int count, int from = 0)
    {
        for (var i = from; i < from + count; i++)
        {
            await Ledger.AppendAsync(Event(i));
        }
    }

    /// <summary>
    /// Appends events <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1 all at once, as
    /// many callers would, in waves of 4,096: the ledger refuses appends past its queue's 16,384 waiting (a busy machine
    /// drains it slower than a test fills it). Returns the receipts in index order.
    /// </summary>
    public async Task<List<LedgerReceipt>> AppendAtOnceAsync(int count, int from = 0, DateTimeOffset? time = null)
    {
        var receipts = new List<LedgerReceipt>(count);
        foreach (var wave in Enumerable.Range(from, count).Chunk(4_096))
        {
            receipts.AddRange(await Task.WhenAll(wave.Select(i => Task.Run(() => Ledger.AppendAsync(Event(i, time: time))))));
        }
        return [.. receipts.OrderBy(r => r.Index)];
    }

    /// <summary>
    /// The retention scenario: six events from last year (two in session "held", under a legal hold, four in "old"),
    /// one recent event, and a checkpoint over them. Returns the purger that placed the hold.
    /// </summary>
    public async Task<PayloadPurger> ArrangeHeldAndOldEventsAsync()
    {
        var lastYear = DateTimeOffset.UtcNow.AddDays(-400);
        for (var i = 0; i < 6; i++)
        {
            await Ledger.AppendAsync(Event(i, session: i < 2 ? "held" : "old", time: lastYear));
        }

        await Ledger.AppendAsync(Event(6, session: "recent"));
        await Checkpointer.CheckpointAsync(default);
        var purger = new PayloadPurger(Ledger, Store, TimeProvider.System);
        await purger.PlaceHoldAsync(HoldScope.Session, "held", "litigation 2026-17", RecordsOfficer, default);
        return purger;
    }

    public static readonly EventActor RecordsOfficer = new() { Subject = "records-officer" };

    /// <summary>The events stored with their payload whose kind is <paramref name="kind"/>, in ledger order.</summary>
    public async Task<List<LedgerEvent>> ReadKindAsync(string kind)
    {
        var entries = await Store.ReadEntriesAsync(0, 1_000, default);
        return [.. entries.Where(e => e.Bytes is not null).Select(e => EventJson.Parse(LedgerEntry.EventOf(e.Bytes!).Span)).Where(e => e.Kind == kind)];
    }

    public Task<VerificationResult> VerifyAsync(NoteVerifierKey? key = null) =>
        new LedgerVerifier(Store, Store, key ?? Signer.PublicKey).VerifyAsync();

    /// <summary>The first column of every row <paramref name="sql"/> selects, as integers.</summary>
    public async Task<List<long>> QueryAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<long>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetInt64(0));
        }
        return values;
    }

    /// <summary>Runs SQL on the database (checkpoints, holds, index) behind the store's back, as an intruder with file access would.</summary>
    public async Task TamperAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Checkpointer.DisposeAsync();
        await Ledger.DisposeAsync();
        await Store.DisposeAsync();
        Signer.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
