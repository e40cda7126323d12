using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Proctor.Cli;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Reliability;

/// <summary>
/// docs/SECURITY.md, "another request's id": many calls at once from two callers (two identities) through one gateway
/// to HTTP upstreams whose session they share, each call with its own argument that the tool echoes, both callers
/// using the same ids. Every answer must carry its own request's id and its own echo, on each path an answer takes
/// back: the 2025-11-25 Streamable HTTP session (the C# conformance fixture and the npm reference server), the
/// 2026-07-28 stateless POSTs, and a 2026-07-28 caller sharing a session-era upstream with a session-era one; and over
/// stdio, where the gateway rewrites ids on one pipe and writes whatever waits in one write (decision 0055).
/// </summary>
public sealed class ConcurrentAnswersTests(ConcurrentAnswersTests.SharedUpstreams upstreams) : IClassFixture<ConcurrentAnswersTests.SharedUpstreams>
{
    private const int CallsPerCaller = 200;
    private const int WorkersPerCaller = 16;

    /// <summary>Route, tool, its argument, and the era of each of the two callers (true: 2026-07-28).</summary>
    public static TheoryData<string, string, string, bool, bool> Paths() => new()
    {
        { "fixture-legacy", "test_header_parameter", "region", false, false },
        { "fixture-legacy", "test_header_parameter", "region", false, true },
        { "fixture-modern", "test_header_parameter", "region", true, true },
        { "everything", "echo", "message", false, false },
        { "everything", "echo", "message", false, true },
        { "everything-stdio", "echo", "message", false, false },
        { "everything-stdio", "echo", "message", false, true },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Call_TwoCallersManyAtOnceWithTheSameIds_EveryAnswerHasItsOwnIdAndItsOwnEcho(string route, string tool, string argument, bool firstModern, bool secondModern)
    {
        var callers = new[]
        {
            await Caller.OpenAsync("analyst", upstreams.Tokens["analyst"], upstreams.Gateway.Mcp(route), firstModern),
            await Caller.OpenAsync("supervisor", upstreams.Tokens["supervisor"], upstreams.Gateway.Mcp(route), secondModern),
        };
        var wrong = new ConcurrentQueue<string>();

        var runs = callers.Select(caller => caller.RunAsync(tool, argument, CallsPerCaller, WorkersPerCaller, wrong)).ToArray();
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(wrong.IsEmpty, $"{wrong.Count} of {2 * CallsPerCaller} answers on {route} were not the caller's own, e.g.\n{string.Join("\n", wrong.Take(5))}");
    }

    /// <summary>One identity with one session (session era) or none (2026-07-28), speaking raw HTTP so that every answer's id is seen as sent.</summary>
    private sealed class Caller
    {
        private readonly string _name;
        private readonly Uri _endpoint;
        private readonly bool _modern;
        private readonly Dictionary<string, string> _headers;

        private Caller(string name, string token, Uri endpoint, bool modern)
        {
            _name = name;
            _endpoint = endpoint;
            _modern = modern;
            _headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" };
        }

        public static async Task<Caller> OpenAsync(string name, string token, Uri endpoint, bool modern)
        {
            var caller = new Caller(name, token, endpoint, modern);
            if (!modern)
            {
                caller._headers["Mcp-Session-Id"] = await RawMcp.InitializeAsync(endpoint, caller._headers);
                caller._headers["MCP-Protocol-Version"] = "2025-11-25";
                await RawMcp.PostAsync(endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", caller._headers);
            }

            return caller;
        }

        /// <summary>Ids 1…<paramref name="calls"/>, as the other caller uses too; the argument names the caller and the call.</summary>
        public Task RunAsync(string tool, string argument, int calls, int workers, ConcurrentQueue<string> wrong)
        {
            var next = 0;
            return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) is var id && id <= calls)
                {
                    var value = $"{_name}-call-{id.ToString("D4", CultureInfo.InvariantCulture)}";
                    var answers = (await CallAsync(tool, argument, value, id)).Where(m => !m.ContainsKey("method")).ToList();
                    var text = answers.Count == 1 ? (string?)answers[0]["result"]?["content"]?[0]?["text"] : null;
                    if (answers.Count != 1 || answers[0]["id"]?.ToJsonString() != id.ToString(CultureInfo.InvariantCulture) || text != Echo(tool, value))
                    {
                        wrong.Enqueue($"{_name} ({(_modern ? "2026-07-28" : "session")}) request {id} ({value}) got {string.Join(" | ", answers.Select(a => a.ToJsonString()))}");
                    }
                }
            })));
        }

        private static string Echo(string tool, string value) => tool == "echo" ? $"Echo: {value}" : $"Routed to region '{value}'.";

        private Task<List<JsonObject>> CallAsync(string tool, string argument, string value, int id)
        {
            var arguments = new JsonObject { [argument] = value }.ToJsonString();
            var headers = new Dictionary<string, string>(_headers);
            var meta = "";
            if (_modern)
            {
                foreach (var (name, header) in RawMcp.Modern("tools/call", tool))
                {
                    headers[name] = header;
                }

                headers["Mcp-Param-Region"] = value; // the fixture's tool mirrors its argument in this header (SEP-2243); others ignore it
                meta = "," + RawMcp.ModernMeta;
            }

            return RawMcp.PostForEventsAsync(_endpoint, $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{arguments}}}{{{meta}}}}}""", headers);
        }
    }

    /// <summary>
    /// The conformance fixture (both eras) behind the gateway twice, as a session-era upstream and as a 2026-07-28 one,
    /// and the npm reference server over Streamable HTTP and over stdio; two callers with tokens from the demo's pinned issuer.
    /// </summary>
    public sealed class SharedUpstreams : IAsyncLifetime
    {
        private readonly string _issuer = Directory.CreateTempSubdirectory("proctor-issuer-").FullName;
        private ConformanceFixture? _fixture;
        private ChildProcess? _everything;

        internal GatewayUnderTest Gateway { get; private set; } = null!;

        internal IReadOnlyDictionary<string, string> Tokens { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Peers.RequireInstalled();
            _fixture = await ConformanceFixture.StartAsync();
            var everythingPort = Ports.Free();
            _everything = ChildProcess.Start(Peers.Node, ["--require", Peers.BindLoopback, Peers.EverythingServer, "streamableHttp"], new Dictionary<string, string> { ["PORT"] = everythingPort.ToString(CultureInfo.InvariantCulture) });
            await Ports.WaitForListeningAsync(everythingPort, TimeSpan.FromSeconds(30));

            Directory.CreateDirectory(Path.Combine(_issuer, "demo-issuer"));
            var port = Ports.Free();
            var resource = new Uri($"http://127.0.0.1:{port}/mcp");
            Tokens = (await DemoIdentities.IssueAsync(_issuer, resource, Path.Combine(_issuer, "keys.db"), CancellationToken.None)).ToDictionary(t => t.Name, t => t.Credential);
            Gateway = await GatewayUnderTest.StartAsync(
                $$"""
                  fixture-legacy:
                    url: "{{_fixture.Endpoint}}"
                    era: legacy
                    timeout: "30s"
                  fixture-modern:
                    url: "{{_fixture.Endpoint}}"
                    era: modern
                    timeout: "30s"
                  everything:
                    url: "http://127.0.0.1:{{everythingPort}}/mcp"
                    timeout: "30s"
                  everything-stdio:
                    command: "node"
                    args: ["{{Peers.EverythingServer}}", "stdio"]
                    timeout: "30s"
                """,
                $$"""
                identity:
                  resource: "{{resource}}"
                  issuers: ["{{DemoIdentities.Issuer}}"]
                  issuerKeys: { "{{DemoIdentities.Issuer}}": "{{Path.Combine(_issuer, DemoIdentities.JwksFile)}}" }
                """,
                port: port,
                gatewayKeys: """
                    maxConcurrentCallsPerIdentity: 1000
                    maxCallsPerSecondPerIdentity: 100000
                    """);
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            if (_everything is not null)
            {
                await _everything.DisposeAsync();
            }

            if (_fixture is not null)
            {
                await _fixture.DisposeAsync();
            }

            Directory.Delete(_issuer, recursive: true);
        }
    }
}
