using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tests.Pipeline;

/// <summary>Metric tags come from closed sets whatever callers and upstreams send.</summary>
public sealed class MetricLabelsTests
{
    [Theory]
    [InlineData("tools/call", "tools/call")]
    [InlineData("resources/read", "resources/read")]
    [InlineData("tasks/get", "tasks/get")]
    [InlineData("unread", "unread")]
    [InlineData("Tools/Call", "other")]
    [InlineData("tools/call ", "other")]
    [InlineData("vendor/custom", "other")]
    [InlineData("", "other")]
    [InlineData(null, "other")]
    public void Method_KnownOrNot_IsTheMethodOrOther(string? method, string expected)
    {
        Assert.Equal(expected, MetricLabels.Method(method));
    }

    [Fact]
    public void Method_TenThousandInventedNames_AllOther()
    {
        var random = new Random(9);
        var labels = Enumerable.Range(0, 10_000).Select(_ => MetricLabels.Method(new string((char)random.Next('a', 'z'), random.Next(1, 2000)))).Distinct().ToList();

        Assert.Equal(["other"], labels);
    }

    public static TheoryData<string?, string?, string> Outcomes() => new()
    {
        { ReasonCodes.InsufficientScope, null, "identity.insufficient_scope" },
        { ReasonCodes.LedgerUnavailable, null, "ledger.unavailable" },
        { "policy.made_up_by_a_bug", null, "refused" },
        { null, null, "cancelled" },
        { null, "{'jsonrpc':'2.0','id':1,'result':{'content':[]}}", "ok" },
        { null, "{'jsonrpc':'2.0','id':1,'result':{'content':[],'isError':false}}", "ok" },
        { null, "{'jsonrpc':'2.0','id':1,'result':{'content':[],'isError':'true'}}", "ok" },
        { null, "{'jsonrpc':'2.0','id':1,'result':{'content':[{'type':'text','text':'no such account'}],'isError':true}}", "tool_error" },
        { null, "{'jsonrpc':'2.0','id':1,'error':{'code':-32601,'message':'m'}}", "error -32601" },
        { null, "{'jsonrpc':'2.0','id':1,'error':{'code':-32060,'message':'m'}}", "error -32060" },
        { null, "{'jsonrpc':'2.0','id':1,'error':{'code':-32042,'message':'m'}}", "error -32042" },
        { null, "{'jsonrpc':'2.0','id':1,'error':{'code':123456789,'message':'m'}}", "error other" },
        { null, "{'jsonrpc':'2.0','id':1,'error':{'code':-32601.5,'message':'m'}}", "error other" },
        { null, "{'jsonrpc':'2.0','id':1,'error':{'code':'-32601','message':'m'}}", "error other" },
        { null, "{'jsonrpc':'2.0','id':1,'error':{'code':1e300,'message':'m'}}", "error other" },
        { null, "{'jsonrpc':'2.0','id':1,'error':{'message':'m'}}", "error other" },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Outcome_RefusalOrResponse_IsFromTheClosedSet(string? refusal, string? response, string expected)
    {
        Assert.Equal(expected, MetricLabels.Outcome(refusal, response is null ? null : Json.Object(response)));
    }

    [Fact]
    public void Outcome_TheGatewaysOwnErrorObject_IsNamedByCode()
    {
        Assert.Equal("error -32061", MetricLabels.Outcome(null, JsonRpc.Error(JsonValue.Create(1), JsonRpcErrorCodes.UpstreamTimeout, "slow")));
    }
}
