using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Clients;

/// <summary>
/// A client's notifications, which the pipeline never sees (they are not calls): each is masked for no
/// audience and recorded before it has any effect (docs/decisions/0012). A forwarded one is recorded once
/// per upstream it goes to, with that upstream's masking scope, just before it is sent there; one the
/// gateway acts on itself (a cancellation) is recorded once for the route. When masking or the
/// ledger fails, the notification goes no further and the client receives the refusal.
/// </summary>
public sealed partial class ClientNotificationRelay(UpstreamRegistry upstreams, IPayloadMasker masker, IMessageRecorder recorder, ILogger<ClientNotificationRelay> logger)
{
    /// <summary>Records, then sends to each upstream of the route that takes client notifications now.</summary>
    /// <returns>Null when accepted; otherwise the JSON-RPC error for the client (it was not forwarded, or not everywhere).</returns>
    public async Task<JsonObject?> ForwardAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var sent = new List<string>();
        foreach (var upstream in upstreams.Ready(request.Route))
        {
            if (!upstream.TakesClientNotifications)
            {
                continue;
            }

            if (await RecordAsync(request, upstream.Name, sent).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            try
            {
                await upstream.NotifyAsync(request.Message, cancellationToken).ConfigureAwait(false);
                sent.Add(upstream.Name);
            }
            catch (Exception ex) when (ex is Upstreams.UpstreamUnavailableException or IOException or InvalidOperationException)
            {
                // Recorded as sent and then lost on the way: the upstream went down in between.
                Log.NotSent(logger, JsonRpc.Method(request.Message)!, upstream.Name, ex.Message);
            }
        }

        return null;
    }

    /// <summary>Records a notification the gateway acts on itself; act on it only when this returns null.</summary>
    public Task<JsonObject?> RecordAsync(ClientRequest request) => RecordAsync(request, request.Route.Server, sentAlready: []);

    private async Task<JsonObject?> RecordAsync(ClientRequest request, string? server, List<string> sentAlready)
    {
        var method = JsonRpc.Method(request.Message)!;
        string reason;
        string problem;
        try
        {
            var masked = masker.Mask(request.Message, new MaskingScope(server, null), revealTo: null);
            // Not cancellable: a client leaving mid-commit must not leave the ledger unsure whether it holds the notification.
            await recorder.ClientNotificationAsync(new ClientNotificationRecord(request.Caller, server, masked), CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (MaskingFailedException ex)
        {
            (reason, problem) = (ReasonCodes.MaskingFailed, $"could not mask it ({ex.Message}), and nothing unmasked is stored");
        }
        catch (RecordingFailedException ex)
        {
            (reason, problem) = (ReasonCodes.LedgerUnavailable, $"could not record it in its audit ledger ({ex.Message})");
        }

        Log.Refused(logger, method, server ?? "/mcp", reason);
        var where = sentAlready.Count == 0 ? "so it did not act on it or forward it" : $"so it forwarded it only to {string.Join(", ", sentAlready)}";
        return JsonRpc.Error(null, JsonRpcErrorCodes.Refused,
            $"The gateway {problem}, {where}. Send {method} again once /readyz shows the gateway ready.",
            new JsonObject { ["reason"] = reason, ["method"] = method });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Client notification {Method} to {Upstream} was recorded but could not be sent: {Reason}")]
        public static partial void NotSent(ILogger logger, string method, string upstream, string reason);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Client notification {Method} for {Server} refused ({Reason}): it was not recorded, so it had no effect")]
        public static partial void Refused(ILogger logger, string method, string server, string reason);
    }
}
