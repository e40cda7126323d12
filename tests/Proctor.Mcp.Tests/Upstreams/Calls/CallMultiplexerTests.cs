using Proctor.Mcp.Upstreams;
using Proctor.Mcp.Upstreams.Calls;

namespace Proctor.Mcp.Tests.Upstreams.Calls;

public sealed class CallMultiplexerTests
{
    [Fact]
    public void Register_BeyondMaxCallsInFlight_RefusedNamingTheKey_AndAllowedAgainOnceOneEnds()
    {
        var calls = new CallMultiplexer("bank", maxCallsInFlight: 2, inboxCapacity: 4);
        var (first, _) = calls.Register(Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/call'}"), new RecordingSink());
        calls.Register(Json.Object("{'jsonrpc':'2.0','id':2,'method':'tools/call'}"), new RecordingSink());

        var refused = Assert.Throws<UpstreamUnavailableException>(() => calls.Register(Json.Object("{'jsonrpc':'2.0','id':3,'method':'tools/call'}"), new RecordingSink()));
        calls.Remove(first);
        calls.Register(Json.Object("{'jsonrpc':'2.0','id':4,'method':'tools/call'}"), new RecordingSink());

        Assert.Contains("upstreams.bank.maxCallsInFlight", refused.Reason);
        Assert.Equal(2, calls.Count);
    }

    [Fact]
    public void Remove_CalledTwice_CountsTheCallOnce()
    {
        var calls = new CallMultiplexer("bank", maxCallsInFlight: 2, inboxCapacity: 4);
        var (call, _) = calls.Register(Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/call'}"), new RecordingSink());

        calls.Remove(call);
        calls.Remove(call);

        Assert.Equal(0, calls.Count);
    }
}
