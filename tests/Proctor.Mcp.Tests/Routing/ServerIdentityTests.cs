using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Tests.Upstreams;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Routing;

public sealed class ServerIdentityTests
{
    private static UpstreamRegistry Registry(params ScriptedUpstream[] upstreams) =>
        new(upstreams, upstreams.ToDictionary(u => u.Name, _ => TimeSpan.FromSeconds(30)));

    private static ScriptedUpstream With(string name, string capabilities, string? instructions = null, string? serverInfo = null) =>
        new(name, (r, _, _) => Task.FromResult(JsonRpc.Result(r["id"], new JsonObject())), Json.Object(capabilities), instructions,
            serverInfo is null ? null : Json.Object(serverInfo));

    [Fact]
    public void InitializeResult_Aggregate_IsTheUnionOfReadyUpstreams()
    {
        var registry = Registry(
            With("a", "{'tools':{'listChanged':false},'logging':{}}"),
            With("b", "{'tools':{},'resources':{'subscribe':true},'prompts':{'listChanged':false},'completions':{}}"));

        var result = ServerIdentity.InitializeResult(registry, Route.Aggregate, "2025-06-18");

        Assert.Equal("2025-06-18", (string?)result["protocolVersion"]);
        Json.Equal(
            "{'tools':{'listChanged':true},'logging':{},'resources':{'subscribe':true,'listChanged':true},'prompts':{'listChanged':true},'completions':{}}",
            result["capabilities"]);
        Assert.Equal("proctor", (string?)result["serverInfo"]!["name"]);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void InitializeResult_Aggregate_AFlagIsTrueWhenAnyUpstreamSetsIt(bool first, bool second)
    {
        var registry = Registry(
            With("a", $"{{'resources':{{'subscribe':{(first ? "true" : "false")}}}}}"),
            With("b", $"{{'resources':{{'subscribe':{(second ? "true" : "false")}}}}}"));

        var result = ServerIdentity.InitializeResult(registry, Route.Aggregate, "2025-11-25");

        Assert.True((bool)result["capabilities"]!["resources"]!["subscribe"]!);
    }

    [Fact]
    public void InitializeResult_Aggregate_NoUpstreamSetsAFlag_FlagIsFalse()
    {
        var registry = Registry(With("a", "{'resources':{'subscribe':false}}"), With("b", "{'resources':{}}"));

        var result = ServerIdentity.InitializeResult(registry, Route.Aggregate, "2025-11-25");

        Assert.False((bool)result["capabilities"]!["resources"]!["subscribe"]!);
    }

    [Fact]
    public void InitializeResult_Aggregate_UnknownCapabilitiesPassThroughAndMergeByKey()
    {
        var registry = Registry(
            With("a", "{'experimental':{'x-trace':{'level':1}}}"),
            With("b", "{'experimental':{'x-trace':{'level':2},'x-other':{}}}"));

        var result = ServerIdentity.InitializeResult(registry, Route.Aggregate, "2025-11-25");

        Json.Equal("{'experimental':{'x-trace':{'level':1},'x-other':{}}}", result["capabilities"]);
    }

    [Fact]
    public void InitializeResult_Aggregate_SkipsUpstreamsThatAreDown()
    {
        // ServerIdentity's contract: "on /mcp the union of the ready upstreams'". A session upstream keeps
        // its last description while it is down and reconnecting.
        var down = With("down", "{'prompts':{}}", "never shown");
        down.State = UpstreamState.Down;
        var registry = Registry(With("a", "{'tools':{}}"), down);

        var result = ServerIdentity.InitializeResult(registry, Route.Aggregate, "2025-11-25");

        Json.Equal("{'tools':{'listChanged':true}}", result["capabilities"]);
        Assert.False(result.ContainsKey("instructions"));
    }

    [Fact]
    public void InitializeResult_Aggregate_JoinsInstructionsInConfigurationOrder()
    {
        var registry = Registry(With("b", "{}", "  Use search first.\n"), With("c", "{}"), With("a", "{}", "Amounts are in cents."));

        var result = ServerIdentity.InitializeResult(registry, Route.Aggregate, "2025-11-25");

        Assert.Equal($"b: Use search first.{Environment.NewLine}a: Amounts are in cents.", (string?)result["instructions"]);
    }

    [Fact]
    public void InitializeResult_OneServer_IsThatUpstreamsOwnDescription()
    {
        var registry = Registry(
            With("a", "{'tools':{'listChanged':false}}", "Only a.", "{'name':'bank-server','version':'1.2.3'}"),
            With("b", "{'prompts':{}}", "Only b."));

        var result = ServerIdentity.InitializeResult(registry, new Route("a"), "2025-11-25");

        Json.Equal("{'tools':{'listChanged':false}}", result["capabilities"]);
        Json.Equal("{'name':'bank-server','version':'1.2.3'}", result["serverInfo"]);
        Assert.Equal("Only a.", (string?)result["instructions"]);
    }

    [Fact]
    public void InitializeResult_Aggregate_SkipsUpstreamsThatNeverConnected()
    {
        var never = With("never", "{'prompts':{}}", "never shown");
        never.NeverConnected();

        var result = ServerIdentity.InitializeResult(Registry(With("a", "{'tools':{}}"), never), Route.Aggregate, "2025-11-25");

        Json.Equal("{'tools':{'listChanged':true}}", result["capabilities"]);
        Assert.False(result.ContainsKey("instructions"));
    }

    [Fact]
    public void InitializeResult_OneServerNotConnected_NamesTheServer()
    {
        var down = With("crm", "{'tools':{}}");
        down.NeverConnected();

        var result = ServerIdentity.InitializeResult(Registry(down), new Route("crm"), "2025-11-25");

        Json.Equal("{}", result["capabilities"]);
        Json.Equal("{'name':'crm','version':'unknown'}", result["serverInfo"]);
    }

    [Fact]
    public void InitializeResult_Aggregate_DoesNotAlterTheUpstreamsDescription()
    {
        var a = With("a", "{'tools':{'listChanged':false}}");

        ServerIdentity.InitializeResult(Registry(a), Route.Aggregate, "2025-11-25");

        Json.Equal("{'tools':{'listChanged':false}}", a.Description!.Capabilities);
    }

    [Fact]
    public void DiscoverResult_Aggregate_ListsEverySupportedVersionAndServerInfoInMeta()
    {
        var result = ServerIdentity.DiscoverResult(Registry(With("a", "{'tools':{}}")), Route.Aggregate);

        Assert.Equal("complete", (string?)result["resultType"]);
        Assert.Equal(ProtocolVersions.All, result["supportedVersions"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("proctor", (string?)result["_meta"]!["io.modelcontextprotocol/serverInfo"]!["name"]);
        Json.Equal("{'tools':{'listChanged':true}}", result["capabilities"]);
    }

    [Fact]
    public void DiscoverResult_ModernCaller_SeesTheModernDescription()
    {
        var a = With("a", "{'tools':{}}");
        a.ModernDescription = new UpstreamDescription(ProtocolVersions.Modern, Json.Object("{'tools':{},'x-modern':{}}"), null, null);

        var result = ServerIdentity.DiscoverResult(Registry(a), new Route("a"));

        Json.Equal("{'tools':{},'x-modern':{}}", result["capabilities"]);
    }
}
