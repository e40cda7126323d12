using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

/// <summary>The call log line and metrics: bounded tags, tool errors told apart from successes, one line per call.</summary>
public sealed class CallTelemetryStageTests : IDisposable
{
    private readonly TestMeters _meters = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, Dictionary<string, string?> Tags)> _measurements = new();
    private readonly Lines _log = new();
    private readonly CallTelemetryStage _stage;

    public CallTelemetryStageTests()
    {
        var metrics = new GatewayMetrics(_meters);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Add(instrument, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Add(instrument, tags));
        _listener.Start();
        _stage = new CallTelemetryStage(new CallTelemetry(_log, metrics));
    }

    [Fact]
    public async Task Invoke_ToolResultWithIsError_CountedAndLoggedAsToolError()
    {
        var context = Calls.Context(new ScriptedUpstream("bank", (_, _, _) => throw new InvalidOperationException("not called")));

        await _stage.InvokeAsync(context, (c, _) =>
        {
            c.RecordedTarget = c.Target; // as Mask leaves it: a plain tool name masks to itself
            c.Response = JsonRpc.Result(c.Request["id"], Json.Object("{'content':[{'type':'text','text':'account locked'}],'isError':true}"));
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.All(_measurements, m => Assert.Equal("tool_error", m.Tags["outcome"]));
        Assert.Equal(["proctor.call.duration", "proctor.calls"], _measurements.Select(m => m.Instrument).Order());
        Assert.Matches(@"^call alice bank tools/call search -> tool_error in \d+\.\d\d ms$", Assert.Single(_log.Messages));
    }

    [Fact]
    public async Task Invoke_InventedMethodsAndControlCharactersInTargets_TagsBoundedAndOneLineEach()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var method = "x/" + new string((char)random.Next('a', 'z'), random.Next(1, 4000));
            var request = Json.Object($"{{'jsonrpc':'2.0','id':{i},'method':'{method}','params':{{'name':'t'}}}}");
            var context = Calls.Context(new ScriptedUpstream("bank", (_, _, _) => throw new InvalidOperationException("not called")), request);
            await _stage.InvokeAsync(context, (c, _) => { c.RecordedTarget = c.Target; c.Response = JsonRpc.Result(c.Request["id"], new JsonObject()); return Task.CompletedTask; }, CancellationToken.None);
        }

        var forged = Calls.Context(new ScriptedUpstream("bank", (_, _, _) => throw new InvalidOperationException("not called")),
            Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'t\\n12:00:00.000 info: call admin bank tools/call x -> ok'}}"));
        await _stage.InvokeAsync(forged, (c, _) => { c.RecordedTarget = c.Target; c.Response = JsonRpc.Result(c.Request["id"], new JsonObject()); return Task.CompletedTask; }, CancellationToken.None);

        Assert.Equal(["other", "tools/call"], _measurements.Select(m => m.Tags["method"]!).Distinct().Order());
        Assert.All(_log.Messages, line => Assert.DoesNotContain('\n', line));
        Assert.All(_log.Messages, line => Assert.True(line.Length < 600, $"a log line of {line.Length} characters"));
        Assert.Contains(_log.Messages, line => line.Contains("call alice bank tools/call t?12:00:00.000", StringComparison.Ordinal)); // the control character shown, not obeyed
    }

    [Fact]
    public async Task Invoke_RefusedBeforeMaskRan_LogsNoTargetRatherThanAnUnmaskedOne()
    {
        var context = Calls.Context(new ScriptedUpstream("bank", (_, _, _) => throw new InvalidOperationException("not called")),
            Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'lookup_514-24-1098'}}"));

        await _stage.InvokeAsync(context, (c, _) => { c.Response = JsonRpc.Result(c.Request["id"], new JsonObject()); return Task.CompletedTask; }, CancellationToken.None);

        Assert.DoesNotContain("514-24-1098", Assert.Single(_log.Messages), StringComparison.Ordinal);
    }

    private void Add(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Enqueue((instrument.Name, copy));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    private sealed class TestMeters : IMeterFactory
    {
        private readonly List<Meter> _created = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _created.Add(meter);
            return meter;
        }

        public void Dispose() => _created.ForEach(m => m.Dispose());
    }

    private sealed class Lines : ILogger<CallTelemetry>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
