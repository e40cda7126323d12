using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Bridging;

/// <summary>
/// Serves a 2026-07-28 client's request. When the upstream is session-era and asks the client
/// something mid-call (sampling, elicitation, roots), the call is held upstream and the client gets
/// <c>input_required</c> with a <c>requestState</c> naming the held call; the client's retry delivers
/// the answers and resumes it (docs/bridging.md). The state is a random handle bound to the caller,
/// method and target, so it cannot be replayed by another identity or on another request.
/// </summary>
public sealed class ModernCallCoordinator(McpDispatcher dispatcher, TimeProvider time)
{
    public const string StatePrefix = "proctor-held:";
    private static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(10);
    private const int MaxHeld = 10_000;
    private readonly ConcurrentDictionary<string, (HeldCall Call, DateTimeOffset Expires)> _held = new(StringComparer.Ordinal);

    public async Task<JsonObject> HandleAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var method = JsonRpc.Method(request.Message)!;
        var target = (request.Message["params"]?["name"] ?? request.Message["params"]?["uri"])?.ToString();
        if (request.Message["params"]?["requestState"]?.GetValue<string>() is { } state && state.StartsWith(StatePrefix, StringComparison.Ordinal))
        {
            if (!_held.TryRemove(state[StatePrefix.Length..], out var entry) || entry.Expires < time.GetUtcNow()
                || entry.Call.Subject != request.Caller.Key || entry.Call.Method != method || entry.Call.Target != target)
            {
                entry.Call?.Dispose(); // Fail closed: a handle presented wrongly ends the held call upstream.
                return JsonRpc.Error(request.Id, JsonRpcErrorCodes.InvalidParams,
                    "requestState does not name a call held for this caller and request (expired, already used, or altered); send the request again without requestState.");
            }

            Deliver(entry.Call, request.Message["params"]?["inputResponses"] as JsonObject);
            if (!entry.Call.Outstanding.IsEmpty)
            {
                return Hold(entry.Call, request); // The spec asks servers to re-ask for missing inputs rather than fail.
            }

            return await PumpAsync(entry.Call, request, cancellationToken).ConfigureAwait(false);
        }

        if (!request.Route.IsAggregate && dispatcher.Upstreams.ByName.TryGetValue(request.Route.Server!, out var upstream) && upstream.ServesModern)
        {
            // The upstream speaks 2026-07-28 to this caller: it asks for input with its own
            // input_required, never mid-call, so there is nothing to hold.
            return await dispatcher.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var held = new HeldCall(request.Channel, request.Caller.Key, method, target);
        var inner = request with { Channel = held };
        _ = RunHeldAsync(held, inner);
        return await PumpAsync(held, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunHeldAsync(HeldCall held, ClientRequest request)
    {
        JsonObject response;
        try
        {
            response = await dispatcher.HandleAsync(request, held.Lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            response = JsonRpc.Error(request.Id, JsonRpcErrorCodes.InternalError, "The call was cancelled.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Without a final event the client's exchange would wait for ever; answer instead.
            response = JsonRpc.Error(request.Id, JsonRpcErrorCodes.GatewayFault, "The gateway failed while handling this call and did not complete it.");
        }

        held.Complete(response);
    }

    /// <summary>Relays the held call's events to the current HTTP exchange until it ends or asks for input.</summary>
    private async Task<JsonObject> PumpAsync(HeldCall held, ClientRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in held.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Notification is { } notification)
                {
                    await request.Channel.SendNotificationAsync(notification, cancellationToken).ConfigureAwait(false);
                }
                else if (item.Final is { } final)
                {
                    final["id"] = request.Id?.DeepClone();
                    held.Dispose();
                    return final;
                }
                else if (item.InputKey is { } key && held.Outstanding.ContainsKey(key))
                {
                    return Hold(held, request);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            held.Dispose(); // Closing the response stream is the modern client's cancellation.
            throw;
        }

        return JsonRpc.Error(request.Id, JsonRpcErrorCodes.InternalError, "The held call ended without a response.");
    }

    private JsonObject Hold(HeldCall held, ClientRequest request)
    {
        Sweep();
        if (_held.Count >= MaxHeld)
        {
            held.Dispose();
            return JsonRpc.Error(request.Id, JsonRpcErrorCodes.InternalError, "The gateway holds too many calls awaiting client input; retry later.");
        }

        var handle = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _held[handle] = (held, time.GetUtcNow() + HoldFor);
        var inputRequests = new JsonObject();
        foreach (var (key, outstanding) in held.Outstanding)
        {
            inputRequests[key] = new JsonObject
            {
                ["method"] = outstanding.Request["method"]?.DeepClone(),
                ["params"] = outstanding.Request["params"]?.DeepClone(),
            };
        }

        return JsonRpc.Result(request.Id, new JsonObject
        {
            ["resultType"] = "input_required",
            ["inputRequests"] = inputRequests,
            ["requestState"] = StatePrefix + handle,
        });
    }

    private static void Deliver(HeldCall held, JsonObject? responses)
    {
        if (responses is null)
        {
            return;
        }

        foreach (var (key, value) in responses)
        {
            if (value is JsonObject result && held.Outstanding.TryRemove(key, out var outstanding))
            {
                outstanding.Answer.TrySetResult(JsonRpc.Result(null, result.DeepClone()));
            }
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (handle, entry) in _held)
        {
            if (entry.Expires < now && _held.TryRemove(handle, out _))
            {
                entry.Call.Dispose();
            }
        }
    }
}
