using Proctor.Approvals.Grants;
using Proctor.Approvals.Requests;
using Proctor.Storage.Sqlite.Grants;

namespace Proctor.Storage.Sqlite.Tests.Grants;

public sealed class SqliteGrantStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);
    private static readonly Approver Sam = new("https://idp|sam", "sam", ["supervisors"]);
    private static readonly Approver Sue = new("https://idp|sue", "sue", ["supervisors"]);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-grants-");

    private string DatabasePath => Path.Combine(_folder.FullName, "data", "proctor.db");

    private static AccessGrant Pending(string id, int minApprovals = 1) => new()
    {
        Id = id, Identity = "https://idp|ana", Holder = "ana", Server = "bank", Tools = ["run_sql", "get_customer"], Reason = "CHG-1: month-end", Ticket = "CHG-1",
        Duration = TimeSpan.FromHours(2), Rule = "sql-under-grant", PolicyHash = "sha256:p", ApproverGroups = ["supervisors"], MinApprovals = minApprovals,
        CreatedAt = Now, DecideBy = Now.AddDays(1),
    };

    [Fact]
    public async Task Create_Approve_ThenReadFromAnotherInstance_EveryFieldKept_AndActiveListed()
    {
        var store = new SqliteGrantStore(DatabasePath);
        await store.CreateAsync(Pending("g1", minApprovals: 2), default);
        var read = (await store.FindAsync("g1", default))!;
        var active = GrantRules.Approve(GrantRules.Approve(read, Sam, Now, "ok", "cli"), Sue, Now.AddMinutes(1), "fine", "rest");
        Assert.NotNull(await store.ReplaceAsync(read, active, default));

        var restarted = new SqliteGrantStore(DatabasePath);

        Assert.Equivalent(active with { Version = 2 }, await restarted.FindAsync("g1", default), strict: true);
        Assert.Equal("g1", Assert.Single(await restarted.ActiveAsync(Now.AddHours(1), default)).Id);
        Assert.Empty(await restarted.ActiveAsync(Now.AddMinutes(1).AddHours(2), default));
        Assert.Equal("g1", Assert.Single(await restarted.DueAsync(Now.AddMinutes(1).AddHours(2), 10, default)).Id);
    }

    [Fact]
    public async Task Replace_ConcurrentDecisionsFromTheSameVersion_ExactlyOneOutcome()
    {
        var store = new SqliteGrantStore(DatabasePath);
        await store.CreateAsync(Pending("g1"), default);
        var read = (await store.FindAsync("g1", default))!;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            new SqliteGrantStore(DatabasePath).ReplaceAsync(read, i % 2 == 0 ? GrantRules.Approve(read, Sam, Now, $"a{i}", "rest") : GrantRules.Deny(read, Sue, Now, $"d{i}", "cli"), default))));

        var winner = Assert.Single(outcomes, o => o is not null)!;
        var stored = (await store.FindAsync("g1", default))!;
        Assert.Equal((winner.State, 2L), (stored.State, stored.Version));
    }

    [Fact]
    public async Task Replace_AnotherScope_Refused()
    {
        var store = new SqliteGrantStore(DatabasePath);
        await store.CreateAsync(Pending("g1"), default);
        var read = (await store.FindAsync("g1", default))!;

        await Assert.ThrowsAsync<ArgumentException>(() => store.ReplaceAsync(read, read with { Tools = ["run_sql", "transfer_funds"] }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReplaceAsync(read, read with { Identity = "https://idp|sam" }, default));
    }

    [Fact]
    public async Task Reviews_OpenCounted_ClosedOnceOnly_SurviveRestart()
    {
        var store = new SqliteGrantStore(DatabasePath);
        var review = new AccessReview
        {
            Id = "r1", GrantId = "g1", Identity = "https://idp|ana", Holder = "ana", Server = "bank", Tools = ["run_sql"], Reason = "INC-9",
            ReviewerGroups = ["supervisors"], OpenedAt = Now,
        };
        await store.CreateReviewAsync(review, default);
        await store.CreateReviewAsync(review with { Id = "r2" }, default);
        Assert.Equal(2, await store.CountOpenReviewsAsync(default));

        var read = (await store.FindReviewAsync("r1", default))!;
        var first = await store.ReplaceReviewAsync(read, GrantRules.Close(read, Sam, Now, "checked", "cli"), default);
        var second = await store.ReplaceReviewAsync(read, GrantRules.Close(read, Sue, Now, "checked too", "rest"), default);

        Assert.NotNull(first);
        Assert.Null(second);
        var restarted = new SqliteGrantStore(DatabasePath);
        Assert.Equal(1, await restarted.CountOpenReviewsAsync(default));
        Assert.Equal("sam", (await restarted.FindReviewAsync("r1", default))!.Closure!.Subject);
        Assert.Equal("r2", Assert.Single(await restarted.ListReviewsAsync(openOnly: true, 10, default)).Id);
    }

    [Fact]
    public async Task Read_NoDatabaseYet_NothingAndNoFileCreated()
    {
        var store = new SqliteGrantStore(DatabasePath);

        Assert.Empty(await store.ActiveAsync(Now, default));
        Assert.Equal(0, await store.CountOpenReviewsAsync(default));
        Assert.False(File.Exists(DatabasePath));
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
