using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Approvals.Grants;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;
using Proctor.Mcp.Tests.Pipeline;

namespace Proctor.Mcp.Tests.Sessions;

/// <summary>
/// When a grant starts, expires or is revoked, <c>tools/list_changed</c> goes to the holder's open sessions and 2026-07-28
/// listen streams that cover the grant's server, and to nobody else.
/// </summary>
public sealed class GrantListChangesTests
{
    private const string Alice = "https://idp.example|alice";
    private const string Bob = "https://idp.example|bob";

    private readonly ClientSessionStore _sessions = new(new ManualTimeProvider(), TimeSpan.FromMinutes(30));
    private readonly UnsolicitedRelay _relay;
    private readonly GrantListChanges _changes;

    public GrantListChangesTests()
    {
        _relay = new UnsolicitedRelay(_sessions, new WordMasker(), new RecordingMessageRecorder(), NullLogger<UnsolicitedRelay>.Instance);
        _changes = new GrantListChanges(_sessions, _relay);
    }

    private ClientSession Session(string owner, Route route)
    {
        var session = _sessions.Open(route, owner, owner, "2025-11-25", new JsonObject(), null).Session!;
        session.Initialized = true;
        return session;
    }

    private static bool Told(System.Threading.Channels.Channel<JsonObject> outbound) =>
        outbound.Reader.TryRead(out var message) && JsonRpc.Method(message) == McpMethods.ToolsListChanged;

    public static TheoryData<string, string?, bool, bool> Streams => new()
    {
        // owner, route server (null: /mcp), asked for tool list changes, told
        { Alice, null, true, true },
        { Alice, "bank", true, true },
        { Alice, "crm", true, false },
        { Bob, null, true, false },
        { Bob, "bank", true, false },
        { Alice, null, false, false },
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void Notify_ListenStream_ToldOnlyWhenItsOwnersGrantOnItsRouteChanged(string owner, string? server, bool wantsTools, bool told)
    {
        var stream = new ListenStream(new Route(server), tools: wantsTools, prompts: true, resources: true, owner);
        using var listening = _relay.Listen(stream);

        var count = _changes.Notify([new GrantChange(Alice, "bank")]);

        Assert.Equal(told, Told(stream.Outbound));
        Assert.Equal(told ? 1 : 0, count);
    }

    public static TheoryData<string, string?, bool> Sessions => new()
    {
        // owner, route server (null: /mcp), told
        { Alice, null, true },
        { Alice, "bank", true },
        { Alice, "crm", false },
        { Bob, null, false },
        { Bob, "bank", false },
    };

    [Theory]
    [MemberData(nameof(Sessions))]
    public void Notify_Session_ToldOnlyWhenItsOwnersGrantOnItsRouteChanged(string owner, string? server, bool told)
    {
        var session = Session(owner, new Route(server));

        _changes.Notify([new GrantChange(Alice, "bank")]);

        Assert.Equal(told, Told(session.Outbound));
    }

    [Fact]
    public void Notify_ListenStreamClosed_NotToldAnyMore()
    {
        var stream = new ListenStream(Route.Aggregate, tools: true, prompts: false, resources: false, Alice);
        _relay.Listen(stream).Dispose();

        Assert.Equal(0, _changes.Notify([new GrantChange(Alice, "bank")]));
        Assert.False(Told(stream.Outbound));
    }
}
