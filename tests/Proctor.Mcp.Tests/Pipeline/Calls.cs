using System.Net;
using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline;

internal static class Calls
{
    public static readonly Caller Alice = new("alice", "test", IPAddress.Loopback, null, "2025-11-25");

    public static CallContext Context(Upstream upstream, JsonObject? request = null, Caller? caller = null, TimeSpan? timeout = null, IUpstreamCallSink? sink = null)
    {
        request ??= Json.Object("{'jsonrpc':'2.0','id':7,'method':'tools/call','params':{'name':'search','arguments':{}}}");
        return new CallContext
        {
            Caller = caller ?? Alice,
            Upstream = upstream,
            Method = JsonRpc.Method(request)!,
            Target = (request["params"]?["name"] ?? request["params"]?["uri"])?.ToString(),
            Request = request,
            Sink = sink ?? DetachedCallSink.Instance,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>A <c>next</c> that records that it ran and does nothing else.</summary>
    public sealed class RecordingNext
    {
        public int Runs { get; private set; }

        public Task Invoke(CallContext context, CancellationToken cancellationToken)
        {
            Runs++;
            return Task.CompletedTask;
        }
    }
}
