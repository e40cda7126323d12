using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Upstreams.Calls;

/// <summary>
/// Requests an upstream sends to the client side (sampling, elicitation, roots, ping): each is asked of
/// the caller whose call it belongs to, or answered by the gateway, and the answer goes back on the link
/// with the upstream's own id. The upstream may withdraw a request with <c>notifications/cancelled</c>.
/// </summary>
internal sealed partial class ServerRequestRouter(string upstream, CallMultiplexer calls, ILogger logger, CancellationToken stopping)
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _asked = new(StringComparer.Ordinal);

    public async Task AnswerAsync(IUpstreamLink link, JsonObject request, long? relatedId)
    {
        var upstreamId = request["id"]!.DeepClone();
        JsonObject answer;
        if (JsonRpc.Method(request) == McpMethods.Ping)
        {
            answer = JsonRpc.Result(upstreamId, new JsonObject());
        }
        else
        {
            var owner = relatedId is { } related && calls.TryGet(related, out var call) ? call : calls.GuessOwner();
            var key = upstreamId.ToJsonString();
            using var cancellable = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            _asked[key] = cancellable;
            try
            {
                answer = owner is not null
                    ? await owner.Sink.OnServerRequestAsync(request, cancellable.Token).ConfigureAwait(false)
                    : relatedId is null && calls.HasCallsOfSeveralCallers()
                        ? JsonRpc.Error(upstreamId, JsonRpcErrorCodes.InvalidRequest, "Calls of several callers are in flight and stdio does not say which one this request belongs to; the gateway will not show it to the wrong one. Retry when fewer calls run.")
                    : JsonRpc.Method(request) == "roots/list"
                        ? JsonRpc.Result(upstreamId, new JsonObject { ["roots"] = new JsonArray() }) // The gateway itself exposes no roots.
                        : JsonRpc.Error(upstreamId, JsonRpcErrorCodes.MethodNotFound, "No client request is in flight to carry this server request.");
            }
            catch (OperationCanceledException) when (cancellable.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                return; // The upstream cancelled its own request: it expects no answer.
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                answer = JsonRpc.Error(upstreamId, JsonRpcErrorCodes.InternalError, $"The gateway could not relay the request to the client: {ex.Message}");
            }
            finally
            {
                _asked.TryRemove(key, out _);
            }

            answer["id"] = upstreamId;
        }

        try
        {
            await link.SendAsync(answer, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.AnswerLost(logger, upstream, ex.Message);
        }
    }

    /// <summary>The upstream withdraws one of its own requests (its <c>notifications/cancelled</c>).</summary>
    public void Withdraw(JsonObject cancelled)
    {
        if (cancelled["params"]?["requestId"]?.ToJsonString() is { } id && _asked.TryGetValue(id, out var request))
        {
            request.Cancel();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Upstream {Upstream}: the answer to its request could not be delivered: {Reason}")]
        public static partial void AnswerLost(ILogger logger, string upstream, string reason);
    }
}
