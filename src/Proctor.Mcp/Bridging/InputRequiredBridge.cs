using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Bridging;

/// <summary>
/// A 2026-07-28 upstream answered <c>input_required</c> but the caller is a session-era client, which
/// knows nothing of multi round-trip requests. The gateway asks the client each input request as an
/// ordinary server-to-client request on the call's stream, then retries the upstream call with the
/// answers and the echoed <c>requestState</c> (docs/bridging.md). Bounded in rounds.
/// </summary>
internal static class InputRequiredBridge
{
    private const int MaxRounds = 16;

    public static bool IsInputRequired(JsonObject response) =>
        response["result"] is JsonObject result && result["resultType"]?.GetValue<string>() == "input_required";

    public static async Task<JsonObject> ResolveForLegacyClientAsync(CallContext first, JsonObject response, CallPipeline pipeline, IClientChannel client, CancellationToken cancellationToken)
    {
        var originalId = first.Request["id"]?.DeepClone();
        var round = 0;
        while (IsInputRequired(response) && round++ < MaxRounds)
        {
            var result = response["result"]!.AsObject();
            var answers = new JsonObject();
            if (result["inputRequests"] is JsonObject inputRequests)
            {
                foreach (var (key, inputRequest) in inputRequests)
                {
                    if (inputRequest is not JsonObject asked)
                    {
                        continue;
                    }

                    var serverRequest = JsonRpc.Request($"{key}", asked["method"]?.GetValue<string>() ?? "", asked["params"]?.DeepClone() as JsonObject);
                    var answer = await first.Sink.OnServerRequestAsync(serverRequest, cancellationToken).ConfigureAwait(false);
                    if (answer["result"] is JsonObject value)
                    {
                        answers[key] = value.DeepClone();
                    }
                }
            }

            var retry = first.Request.DeepClone().AsObject();
            retry["id"] = $"{originalId}-r{round}";
            var parameters = retry["params"] as JsonObject ?? new JsonObject();
            retry["params"] = parameters;
            parameters["inputResponses"] = answers;
            parameters.Remove("requestState");
            if (result["requestState"] is JsonNode state)
            {
                parameters["requestState"] = state.DeepClone();
            }

            var next = new CallContext
            {
                Caller = first.Caller,
                Upstream = first.Upstream,
                Method = first.Method,
                Target = first.Target,
                Request = retry,
                Sink = first.Sink,
                Timeout = first.Timeout,
                ApprovalUsed = first.ApprovalUsed, // one approved call, however many input rounds it takes (decision 0037)
            };
            await pipeline.RunAsync(next, cancellationToken).ConfigureAwait(false);
            response = next.Response!;
        }

        response["id"] = originalId;
        return IsInputRequired(response)
            ? JsonRpc.Error(originalId, JsonRpcErrorCodes.InternalError, $"The upstream kept asking for input after {MaxRounds} rounds; the gateway stopped the call.")
            : response;
    }
}
