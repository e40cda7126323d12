using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Proctor.Bench.Soak;

/// <summary>
/// One session-era client, as a well-behaved IDE or agent: initialize, then calls with pauses between them, some of
/// them streaming progress; every answer checked. Errors are counted with the first one's text.
/// </summary>
internal sealed class SoakClient(HttpClient http, Uri endpoint, SoakOptions options, SoakTally tally, int seed)
{
    private readonly Random _random = new(seed);
    private string _session = "";
    private int _calls;

    /// <summary>An HTTP client whose connections leave from <paramref name="source"/>: the gateway sees one anonymous identity per address.</summary>
    public static HttpClient From(IPAddress source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    public async Task RunAsync(DateTime until, CancellationToken cancellationToken)
    {
        await Delay(TimeSpan.FromMilliseconds(_random.Next((int)options.Think.TotalMilliseconds)), cancellationToken); // spread the openings
        var (response, _) = await PostAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"proctor-soak","version":"1"}}}""", cancellationToken);
        if (!Check(response.StatusCode == HttpStatusCode.OK, $"initialize answered {(int)response.StatusCode}"))
        {
            return;
        }

        _session = response.Headers.GetValues("Mcp-Session-Id").Single();
        await PostAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);
        while (DateTime.UtcNow < until && !cancellationToken.IsCancellationRequested)
        {
            await CallAsync(cancellationToken);
            await Delay(TimeSpan.FromMilliseconds(_random.Next((int)(2 * options.Think.TotalMilliseconds))), cancellationToken);
        }

        if (options.LeaveSessionsOpen)
        {
            return;
        }

        using var delete = new HttpRequestMessage(HttpMethod.Delete, endpoint);
        delete.Headers.Add("Mcp-Session-Id", _session);
        using var deleted = await http.SendAsync(delete, CancellationToken.None);
        Check(deleted.StatusCode == HttpStatusCode.OK, $"DELETE answered {(int)deleted.StatusCode}");
    }

    private async Task CallAsync(CancellationToken cancellationToken)
    {
        var id = ++_calls;
        var flood = id % options.FloodEvery == 0;
        var text = $"soak-{seed}-{id}";
        var request = flood
            ? "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"flood\",\"arguments\":{\"count\":" + options.FloodCount + ",\"size\":" + options.FloodBytes + "},\"_meta\":{\"progressToken\":\"p" + id + "\"}}}"
            : "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"work\",\"arguments\":{\"text\":\"" + text + "\"}}}";
        try
        {
            var (response, messages) = await PostAsync(request, cancellationToken);
            var answer = messages.LastOrDefault();
            var expected = flood ? $"flooded {options.FloodCount}" : text;
            var ok = response.StatusCode == HttpStatusCode.OK
                && (int?)answer?["id"] == id
                && (string?)answer?["result"]?["content"]?[0]?["text"] == expected;
            if (Check(ok, $"call {id} ({(flood ? "flood" : "work")}): HTTP {(int)response.StatusCode}, {answer?.ToJsonString() ?? "no answer"}"))
            {
                tally.Call(flood, messages.Count(m => (string?)m["method"] == "notifications/progress"));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            Check(false, $"call {id}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<(HttpResponseMessage Response, List<JsonObject> Messages)> PostAsync(string json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (_session.Length > 0)
        {
            request.Headers.Add("Mcp-Session-Id", _session);
        }

        var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var messages = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!.AsObject()).ToList()
            : body.Length > 0 && body[0] == '{' ? [JsonNode.Parse(body)!.AsObject()] : [];
        return (response, messages);
    }

    private bool Check(bool ok, string failure)
    {
        if (!ok)
        {
            tally.Error(failure);
        }

        return ok;
    }

    private static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>What all clients did, counted without locks.</summary>
internal sealed class SoakTally
{
    private long _calls;
    private long _floods;
    private long _progress;
    private long _errors;
    private string? _firstError;

    public long Calls => Interlocked.Read(ref _calls);

    public long Floods => Interlocked.Read(ref _floods);

    public long Progress => Interlocked.Read(ref _progress);

    public long Errors => Interlocked.Read(ref _errors);

    public string? FirstError => _firstError;

    public void Call(bool flood, int progress)
    {
        Interlocked.Increment(ref _calls);
        if (flood)
        {
            Interlocked.Increment(ref _floods);
            Interlocked.Add(ref _progress, progress);
        }
    }

    public void Error(string what)
    {
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, what, null);
    }
}
