using System.Text.Json.Nodes;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// The sink the upstream sees during a call: every notification and server request passes the
/// call's message steps before it reaches the client, and the client's answer passes them on its way back.
/// </summary>
internal sealed class PipelineCallSink(CallContext context) : IUpstreamCallSink
{
    private IUpstreamCallSink Client => context.Sink;

    public JsonObject ClientCapabilities => Client.ClientCapabilities;

    public string CallerKey => Client.CallerKey;

    public IReadOnlyList<KeyValuePair<string, string>> ParamHeaders => Client.ParamHeaders;

    public async ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken)
    {
        var delivered = await context.PassAsync(notification, CallMessageKind.Notification, cancellationToken).ConfigureAwait(false);
        await Client.OnNotificationAsync(delivered, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var delivered = await context.PassAsync(request, CallMessageKind.ServerRequest, cancellationToken).ConfigureAwait(false);
        var answer = await Client.OnServerRequestAsync(delivered, cancellationToken).ConfigureAwait(false);
        return await context.PassAsync(answer, CallMessageKind.ClientAnswer, cancellationToken).ConfigureAwait(false);
    }
}
