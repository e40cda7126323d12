using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Approvals.Store;
using Proctor.Storage.Sqlite.Approvals;

namespace Proctor.Storage.Sqlite.Tests.Approvals;

public sealed class SqliteApprovalStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);

    private static readonly CallBinding Binding = new("https://idp|alice", "bank", "transfer_funds", new string('d', 64), new string('p', 64), "big-transfers");

    private static readonly Approver Bob = new("https://idp|bob", "bob", ["supervisors"]);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-approvals-");

    private string DatabasePath => Path.Combine(_folder.FullName, "data", "proctor.db");

    private static ApprovalRequest Request(string id, CallBinding? binding = null, TimeSpan? validity = null) => new()
    {
        Id = id,
        Binding = binding ?? Binding,
        Requester = "alice",
        ApproverGroups = ["supervisors", "treasury"],
        MinApprovals = 2,
        MaskedArguments = """{"amount":15000,"ssn":"***-**-6789"}""",
        Justification = "quarter close",
        Reason = "Transfers above $10,000 need approval.",
        CreatedAt = Now,
        ExpiresAt = Now + (validity ?? TimeSpan.FromHours(1)),
    };

    [Fact]
    public async Task Create_ThenFindFromAnotherInstance_EveryFieldKept()
    {
        var request = ApprovalRules.Approve(Request("r1"), Bob, Now, "ok", "cli");
        await new SqliteApprovalStore(DatabasePath).CreateAsync(request, default);

        var found = await new SqliteApprovalStore(DatabasePath).FindAsync("r1", default);

        Assert.Equivalent(request with { Version = 1 }, found, strict: true);
        Assert.Null(await new SqliteApprovalStore(DatabasePath).FindAsync("r2", default));
    }

    [Fact]
    public async Task Find_NoDatabaseYet_NothingAndNoFileCreated()
    {
        Assert.Null(await new SqliteApprovalStore(DatabasePath).FindAsync("r1", default));
        Assert.Empty(await new SqliteApprovalStore(DatabasePath).ListAsync(new ApprovalQuery(), default));

        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task Replace_TwoWritersFromTheSameVersion_ExactlyOneWins()
    {
        var store = new SqliteApprovalStore(DatabasePath);
        await store.CreateAsync(Request("r1"), default);
        var read = (await store.FindAsync("r1", default))!;
        var approved = ApprovalRules.Approve(ApprovalRules.Approve(read, Bob, Now, null, "rest"), Bob with { Identity = "https://idp|carol", Subject = "carol" }, Now, null, "rest");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            new SqliteApprovalStore(DatabasePath).ReplaceAsync(read, ApprovalRules.Use(approved, Binding, $"call-{i}", Now), default))));

        var winner = Assert.Single(outcomes, o => o is not null)!;
        Assert.Equal(2, winner.Version);
        var stored = (await store.FindAsync("r1", default))!;
        Assert.Equal((ApprovalState.Used, winner.UsedByCall), (stored.State, stored.UsedByCall));
        Assert.Null(await store.ReplaceAsync(read, approved, default));
    }

    [Fact]
    public async Task Replace_AnotherBinding_Refused()
    {
        var store = new SqliteApprovalStore(DatabasePath);
        await store.CreateAsync(Request("r1"), default);
        var read = (await store.FindAsync("r1", default))!;

        await Assert.ThrowsAsync<ArgumentException>(() => store.ReplaceAsync(read, read with { Binding = Binding with { Tool = "run_sql" } }, default));
    }

    [Fact]
    public async Task FindOpen_OnlyPendingOrApprovedRequestsForExactlyThisCall_NewestFirst()
    {
        var store = new SqliteApprovalStore(DatabasePath);
        await store.CreateAsync(Request("0001"), default);
        await store.CreateAsync(Request("0002"), default);
        await store.CreateAsync(Request("0003", Binding with { ArgumentsDigest = new string('e', 64) }), default);
        await store.CreateAsync(Request("0004", Binding with { PolicyHash = new string('q', 64) }), default);
        var denied = (await store.FindAsync("0002", default))!;
        await store.ReplaceAsync(denied, ApprovalRules.Deny(denied, Bob, Now, null, "rest"), default);
        await store.CreateAsync(Request("0005"), default);

        var open = await store.FindOpenAsync(Binding, default);

        Assert.Equal(["0005", "0001"], open.Select(r => r.Id));
    }

    [Fact]
    public async Task Due_PendingOrApprovedAtOrPastExpiry_OldestFirst()
    {
        var store = new SqliteApprovalStore(DatabasePath);
        await store.CreateAsync(Request("a", validity: TimeSpan.FromMinutes(30)), default);
        await store.CreateAsync(Request("b", validity: TimeSpan.FromMinutes(10)), default);
        await store.CreateAsync(Request("c", validity: TimeSpan.FromHours(2)), default);

        Assert.Equal(["b", "a"], (await store.DueAsync(Now.AddMinutes(30), 10, default)).Select(r => r.Id));
        Assert.Equal(["b"], (await store.DueAsync(Now.AddMinutes(30), 1, default)).Select(r => r.Id));
        Assert.Empty(await store.DueAsync(Now.AddMinutes(10).AddMilliseconds(-1), 10, default));
    }

    [Fact]
    public async Task List_ByState_NewestFirstWithinTheLimit()
    {
        var store = new SqliteApprovalStore(DatabasePath);
        foreach (var id in new[] { "1", "2", "3" })
        {
            await store.CreateAsync(Request(id), default);
        }

        var two = (await store.FindAsync("2", default))!;
        await store.ReplaceAsync(two, ApprovalRules.Deny(two, Bob, Now, "no", "cli"), default);

        Assert.Equal(["3", "1"], (await store.ListAsync(new ApprovalQuery(ApprovalState.Pending), default)).Select(r => r.Id));
        Assert.Equal(["2"], (await store.ListAsync(new ApprovalQuery(ApprovalState.Denied), default)).Select(r => r.Id));
        Assert.Equal(["3", "2"], (await store.ListAsync(new ApprovalQuery(Limit: 2), default)).Select(r => r.Id));
    }

    [Fact]
    public async Task Create_NewDatabase_OwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await new SqliteApprovalStore(DatabasePath).CreateAsync(Request("r1"), default);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DatabasePath));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
