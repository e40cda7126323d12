using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Tests.Clients;
using Proctor.Mcp.Tests.Routing;
using Proctor.Mcp.Tests.Upstreams;

namespace Proctor.Mcp.Tests.Authorization;

/// <summary>
/// A tool the policy hides from a caller is never listed and never reaches the upstream, whatever name form the
/// caller sends: prefixed on <c>/mcp</c> (with the server's name in any case or width), bare on <c>/mcp/{server}</c>,
/// or with the tool's name in other case, fullwidth letters or invisible characters. The dispatcher, the Authorize
/// stage and the forward stage are the gateway's own; the upstream is scripted and counts what reaches it.
/// </summary>
public sealed class HiddenToolPropertyTests
{
    private const string Policy = """
        rules:
          - { id: analysts, effect: allow, subjects: { groups: [analysts] }, targets: { servers: [bank], tools: [search_customers, transfer_funds] } }
          - { id: nobody-runs, effect: deny, subjects: { everyone: true }, targets: { servers: ["*"], tools: ["run_*"] } }
        """;

    /// <summary>Hidden from the analyst: run_sql by a deny, get_report because nothing allows it.</summary>
    private static readonly string[] Hidden = ["run_sql", "get_report"];

    private static readonly string[] Listed = ["search_customers", "run_sql", "transfer_funds", "get_report", "RUN_SQL"];

    private static readonly char[] Invisible = ['\u200B', '\u00AD', '\u2060', '\uFEFF', '\u200D'];

    public sealed record NameForm(string Route, string Name)
    {
        public override string ToString() => $"{Route}: {Escape(Name)}";

        private static string Escape(string s) => string.Concat(s.Select(c => c is >= ' ' and < (char)0x7F ? c.ToString() : $"\\u{(int)c:X4}"));
    }

    public static class Forms
    {
        public static Arbitrary<NameForm> NameForm() => Gen.Elements(Hidden).SelectMany(Variant).SelectMany(name =>
            Gen.OneOf(
                Gen.Constant(new NameForm("bank", name)),
                Gen.Elements("bank", "BANK", "Bank", "ｂａｎｋ", "ba\u200Bnk").Select(server => new NameForm("", server + "__" + name)),
                Gen.Constant(new NameForm("bank", "bank__" + name)))).ToArbitrary();

        private static Gen<string> Variant(string name) =>
            Gen.ListOf(Gen.Choose(0, 5), name.Length).SelectMany(choices => Gen.Elements(Invisible).Select(invisible =>
            {
                var text = new StringBuilder();
                var list = choices.ToList();
                for (var i = 0; i < name.Length; i++)
                {
                    var c = name[i];
                    text.Append(list[i] switch
                    {
                        1 => char.ToUpperInvariant(c).ToString(),
                        2 when char.IsAsciiLetterLower(c) => ((char)(c - 'a' + 'ａ')).ToString(),
                        3 => c + invisible.ToString(),
                        _ => c.ToString(),
                    });
                }

                return text.ToString();
            }));
    }

    [Property(Arbitrary = [typeof(Forms)], MaxTest = 300)]
    public void Call_HiddenToolUnderAnyNameForm_NeverReachesTheUpstream(NameForm form)
    {
        var (dispatcher, upstream) = Gateway();
        var message = JsonRpc.Request(1, McpMethods.ToolsCall, new JsonObject { ["name"] = form.Name, ["arguments"] = new JsonObject() });

        var response = dispatcher.HandleAsync(new ClientRequest(new Route(form.Route.Length == 0 ? null : form.Route), message, TestPolicies.Analyst, new RecordingClientChannel(), null), CancellationToken.None).GetAwaiter().GetResult();

        Assert.True(JsonRpc.IsError(response), $"{form} was answered: {response.ToJsonString()}");
        Assert.DoesNotContain(upstream.Requests, r => JsonRpc.Method(r) == McpMethods.ToolsCall);
    }

    [Fact]
    public async Task List_OnBothRoutes_NeverShowsAHiddenToolOrAVariantOfIt()
    {
        var (dispatcher, _) = Gateway();

        foreach (var route in new string?[] { null, "bank" })
        {
            var response = await dispatcher.HandleAsync(new ClientRequest(new Route(route), Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/list','params':{}}"), TestPolicies.Analyst, new RecordingClientChannel(), null), CancellationToken.None);
            var names = response["result"]!["tools"]!.AsArray().Select(t => (string)t!["name"]!).ToArray();

            Assert.Equal(route is null ? ["bank__search_customers", "bank__transfer_funds"] : ["search_customers", "transfer_funds"], names);
            Assert.DoesNotContain(names, n => Hidden.Any(h => n.EndsWith(h, StringComparison.OrdinalIgnoreCase))); // the upstream also lists RUN_SQL
        }
    }

    [Fact]
    public async Task Call_HardNegative_TheSameToolAllowedIsForwardedOnBothRoutes()
    {
        var (dispatcher, upstream) = Gateway();

        foreach (var (route, name) in new[] { ((string?)null, "bank__search_customers"), ("bank", "search_customers") })
        {
            var response = await dispatcher.HandleAsync(new ClientRequest(new Route(route), Json.Object($"{{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{{'name':'{name}','arguments':{{}}}}}}"), TestPolicies.Analyst, new RecordingClientChannel(), null), CancellationToken.None);

            Assert.False(JsonRpc.IsError(response), response.ToJsonString());
        }

        Assert.Equal(2, upstream.Requests.Count(r => JsonRpc.Method(r) == McpMethods.ToolsCall));
    }

    private static (McpDispatcher Dispatcher, ScriptedUpstream Upstream) Gateway()
    {
        var upstream = new ScriptedUpstream("bank", (request, _, _) =>
        {
            var result = JsonRpc.Method(request) == McpMethods.ToolsList
                ? new JsonObject { ["tools"] = new JsonArray([.. Listed.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["inputSchema"] = new JsonObject { ["type"] = "object" } })]) }
                : new JsonObject { ["content"] = new JsonArray() };
            return Task.FromResult(JsonRpc.Result(request["id"], result));
        });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 19, 0, 0, TimeSpan.Zero));
        return (Gateways.Dispatcher([upstream], [new AuthorizeStage(TestPolicies.InForce(Policy), null, time, NullLogger<AuthorizeStage>.Instance)]), upstream);
    }
}
