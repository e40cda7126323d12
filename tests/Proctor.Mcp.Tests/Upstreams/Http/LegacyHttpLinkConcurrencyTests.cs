using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;
using Proctor.Mcp.Upstreams.Supervision;

namespace Proctor.Mcp.Tests.Upstreams.Http;

/// <summary>
/// Many calls at once through one session-era HTTP session, the load benchmark's shape (docs/SECURITY.md): the link
/// hands each answer to the multiplexer, which gives it the caller's id on another thread. Anything the link did with
/// the message afterwards raced that rewrite; System.Text.Json builds a parsed object's members on first use, and not
/// thread-safely, so even a read could undo it and send the caller the gateway's own upstream id.
/// </summary>
public sealed class LegacyHttpLinkConcurrencyTests
{
    private const int Calls = 10_000;
    private const int Concurrency = 32;

    // Far above the gateway's upstream ids (1, 2, 3, … per upstream): an answer left with the gateway's id shows.
    private const long FirstCallerId = 1_000_000;

    private static readonly HttpUpstreamModel Model = new("remote", TimeSpan.FromSeconds(30), new Uri("http://127.0.0.1:9/mcp"), new Dictionary<string, SecretValue>(), UpstreamEra.Legacy, false)
    {
        Limits = new UpstreamLimits { MaxMessageBytes = 1 << 20 },
    };

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/event-stream")]
    public async Task Call_ManyAtOnceOnOneSession_EachCallerGetsItsOwnIdAndItsOwnEcho_AndEveryStreamEndsAnswered(string answerType)
    {
        var streams = new StreamEndings();
        var http = new HttpClient(new EchoServer(answerType));
        await using var upstream = new SessionUpstream("remote", new LegacyHttpLinkFactory(http, Model, TimeProvider.System, streams),
            new UpstreamRestartPolicy(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromSeconds(10)),
            Model.Limits, Json.Object("{'name':'proctor','version':'0.1.0'}"), new UpstreamServices(TimeProvider.System, new UnmaskedLogLines()), NullLogger.Instance);
        await upstream.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var next = 0;
        var wrong = new ConcurrentQueue<string>();
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var n && n <= Calls)
            {
                var id = FirstCallerId + n;
                var text = $"echo-{n}";
                var request = JsonRpc.Request(id, McpMethods.ToolsCall, new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["text"] = text } });
                var answer = await upstream.CallAsync(request, new RecordingSink(), CancellationToken.None);
                if (answer["id"]?.ToJsonString() != id.ToString(CultureInfo.InvariantCulture) || (string?)answer["result"]?["content"]?[0]?["text"] != text)
                {
                    wrong.Enqueue($"request {id} ({text}) got {answer.ToJsonString()}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(wrong.IsEmpty, $"{wrong.Count} of {Calls} callers got an answer that is not theirs, e.g.\n{string.Join("\n", wrong.Take(3))}");
        // A stream's ending is logged after its answer is handed over, so the last callers can finish before their line.
        await Eventually.True(() => streams.Answered(McpMethods.ToolsCall) + streams.Unanswered.Count >= Calls, "every stream's ending is logged");
        Assert.True(streams.Unanswered.IsEmpty, $"{streams.Unanswered.Count} of {Calls} answered calls were judged unanswered (each then gets a second, synthetic answer), e.g. {streams.Unanswered.FirstOrDefault()}");
        Assert.Equal(Calls, streams.Answered(McpMethods.ToolsCall));
    }

    /// <summary>A session-era server with an echo tool, in process so that nothing but the gateway's code sets the pace.</summary>
    private sealed class EchoServer(string answerType) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Post)
            {
                return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed); // no GET stream, as the spec allows
            }

            var message = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            var answer = JsonRpc.Method(message) switch
            {
                McpMethods.Initialize => JsonRpc.Result(message["id"], Json.Object("{'protocolVersion':'2025-11-25','capabilities':{'tools':{}},'serverInfo':{'name':'echo','version':'1'}}")),
                McpMethods.ToolsCall => JsonRpc.Result(message["id"], new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = message["params"]!["arguments"]!["text"]!.DeepClone() }) }),
                _ => null,
            };
            if (answer is null)
            {
                return new HttpResponseMessage(HttpStatusCode.Accepted);
            }

            var body = answerType == "text/event-stream" ? $"event: message\ndata: {answer.ToJsonString()}\n\n" : answer.ToJsonString();
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(answerType);
            response.Headers.TryAddWithoutValidation("Mcp-Session-Id", "session-1");
            return response;
        }
    }

    /// <summary>The link's log of how each request's stream ended (event 1301): "answered", or why not.</summary>
    private sealed class StreamEndings : ILogger
    {
        private readonly ConcurrentDictionary<string, int> _answered = new();

        public ConcurrentQueue<string> Unanswered { get; } = new();

        public int Answered(string method) => _answered.GetValueOrDefault(method);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 1301 || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }

            var method = values.FirstOrDefault(v => v.Key == "Method").Value?.ToString() ?? "";
            if (values.FirstOrDefault(v => v.Key == "Reason").Value?.ToString() == "answered")
            {
                _answered.AddOrUpdate(method, 1, (_, count) => count + 1);
            }
            else if (method != "GET")
            {
                Unanswered.Enqueue(formatter(state, exception));
            }
        }
    }
}
