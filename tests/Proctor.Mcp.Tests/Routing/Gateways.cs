using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Routing;

/// <summary>The gateway's routing core built for real (dispatcher, pipeline ending in the forward stage) over test upstreams.</summary>
internal static class Gateways
{
    public static readonly Caller LegacyAlice = new("alice", "test", IPAddress.Loopback, null, "2025-11-25");
    public static readonly Caller ModernAlice = new("alice", "test", IPAddress.Loopback, null, "2026-07-28");

    public static McpDispatcher Dispatcher(IReadOnlyList<Upstream> upstreams, IReadOnlyList<ICallStage>? before = null, TimeSpan? timeout = null, Proctor.Mcp.Access.RequestAccessTool? access = null)
    {
        var registry = new UpstreamRegistry(upstreams, upstreams.ToDictionary(u => u.Name, _ => timeout ?? TimeSpan.FromSeconds(30)));
        var pipeline = new CallPipeline([.. before ?? [], new ForwardStage()], NullLogger<CallPipeline>.Instance);
        return new McpDispatcher(registry, pipeline, new ResourceRoutes(), new UpstreamSubscriptions(), new Proctor.Mcp.Tasks.TaskBindings(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Proctor.Mcp.Tasks.TaskBindings>.Instance), access);
    }

    public static ClientRequest Request(string route, string message, Caller caller, IClientChannel channel) =>
        new(new Route(route), Json.Object(message), caller, channel, null);

    /// <summary>A stage that counts the calls passing through it and may refuse some.</summary>
    public sealed class CountingStage(Func<CallContext, bool>? refuse = null) : ICallStage
    {
        private int _runs;

        public int Runs => _runs;

        public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            if (refuse?.Invoke(context) == true)
            {
                context.Refuse("policy.test", "refused by the test policy");
                return Task.CompletedTask;
            }

            return next(context, cancellationToken);
        }
    }
}
