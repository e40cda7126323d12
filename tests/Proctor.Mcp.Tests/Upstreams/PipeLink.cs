using System.Text.Json.Nodes;
using System.Threading.Channels;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Upstreams;

/// <summary>
/// An in-memory link: two channels, one each way, with every message serialized and parsed again as
/// a real transport would, so neither side can see the other's objects. The test plays the server:
/// it reads what the gateway sent and writes answers, notifications and requests of its own.
/// </summary>
internal sealed class PipeLink : IUpstreamLink
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly Channel<string> _toServer = Channel.CreateUnbounded<string>();
    private readonly Channel<LinkMessage> _toGateway = Channel.CreateUnbounded<LinkMessage>();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChannelReader<LinkMessage> Incoming => _toGateway.Reader;

    public Task<string> Closed => _closed.Task;

    public string? NegotiatedVersion { get; set; }

    public bool Disposed { get; private set; }

    /// <summary>What the link reports as <see cref="IUpstreamLink.BlockedSince"/> (a pipe the server stopped reading).</summary>
    public DateTimeOffset? Blocked { get; set; }

    DateTimeOffset? IUpstreamLink.BlockedSince => Blocked;

    public ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_closed.Task.IsCompleted)
        {
            throw new IOException("the link is closed");
        }

        _toServer.Writer.TryWrite(message.ToJsonString());
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        Close("disposed");
        return ValueTask.CompletedTask;
    }

    // ---- the server's side ----

    /// <summary>The next message the gateway sent.</summary>
    public async Task<JsonObject> ReadAsync() =>
        JsonNode.Parse(await _toServer.Reader.ReadAsync().AsTask().WaitAsync(Patience))!.AsObject();

    /// <summary>Reads until a message with this method arrives (skipping others) and returns it.</summary>
    public async Task<JsonObject> ReadAsync(string method)
    {
        while (true)
        {
            var message = await ReadAsync();
            if (JsonRpc.Method(message) == method)
            {
                return message;
            }
        }
    }

    /// <summary>Everything the gateway sent that was not read yet, without waiting.</summary>
    public List<JsonObject> Drain()
    {
        var sent = new List<JsonObject>();
        while (_toServer.Reader.TryRead(out var text))
        {
            sent.Add(JsonNode.Parse(text)!.AsObject());
        }

        return sent;
    }

    /// <summary>Messages the test sent that the gateway has not taken yet.</summary>
    public int Undelivered => _toGateway.Reader.Count;

    /// <summary>True when the gateway has sent nothing that was not read yet.</summary>
    public bool NothingSent => !_toServer.Reader.TryPeek(out _);

    public void Send(JsonObject message, long? relatedRequestId = null) =>
        _toGateway.Writer.TryWrite(new LinkMessage(JsonNode.Parse(message.ToJsonString())!.AsObject(), relatedRequestId));

    public void Send(string json, long? relatedRequestId = null) => Send(Json.Object(json), relatedRequestId);

    /// <summary>Answers initialize and waits for notifications/initialized, as a session-era server does.</summary>
    public async Task<JsonObject> AcceptHandshakeAsync(string protocolVersion = "2025-11-25", string capabilities = "{'tools':{'listChanged':true},'resources':{'subscribe':true}}")
    {
        var initialize = await ReadAsync();
        Send(JsonRpc.Result(initialize["id"], new JsonObject
        {
            ["protocolVersion"] = protocolVersion,
            ["capabilities"] = Json.Object(capabilities),
            ["serverInfo"] = new JsonObject { ["name"] = "pipe-server", ["version"] = "9.9.9" },
            ["instructions"] = "Be nice.",
        }));
        var initialized = await ReadAsync();
        Assert.Equal(McpMethods.Initialized, JsonRpc.Method(initialized));
        return initialize;
    }

    /// <summary>Ends the link as a process exit or a dropped connection does.</summary>
    public void Close(string reason)
    {
        _toGateway.Writer.TryComplete();
        _closed.TrySetResult(reason);
    }
}

/// <summary>Opens <see cref="PipeLink"/>s on demand and hands each to the test; can be told to fail the next opens.</summary>
internal sealed class PipeLinkFactory : IUpstreamLinkFactory
{
    private readonly Channel<PipeLink> _opened = Channel.CreateUnbounded<PipeLink>();
    private readonly Queue<string> _failures = new();

    public int Opens { get; private set; }

    /// <summary>The clock that stamps <see cref="OpenedAt"/>; none by default.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>When each open was attempted, by <see cref="Clock"/>.</summary>
    public List<DateTimeOffset> OpenedAt { get; } = [];

    public void FailNextOpen(string reason)
    {
        lock (_failures)
        {
            _failures.Enqueue(reason);
        }
    }

    public Task<IUpstreamLink> OpenAsync(CancellationToken cancellationToken)
    {
        if (Clock is not null)
        {
            OpenedAt.Add(Clock.GetUtcNow());
        }

        Opens++;
        lock (_failures)
        {
            if (_failures.TryDequeue(out var reason))
            {
                throw new IOException(reason);
            }
        }

        var link = new PipeLink();
        _opened.Writer.TryWrite(link);
        return Task.FromResult<IUpstreamLink>(link);
    }

    public async Task<PipeLink> NextLinkAsync() => await _opened.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
