using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proctor.Approvals.Grants;
using Proctor.Configuration.Models;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Access;

/// <summary>
/// <c>proctor__request_access</c>, the tool the gateway serves itself on <c>/mcp</c> (decision 0045): a person asks for
/// a just-in-time grant from inside their MCP client. It makes the same desk call as <c>POST /api/access</c>
/// (<see cref="GrantRequests.Draft"/>, then <see cref="GrantDesk.RequestAsync"/>, which records <c>grant.request</c> and
/// sends the webhook notice), with the reason and ticket masked before they are stored.
/// </summary>
public sealed partial class RequestAccessTool(GrantDesk desk, PolicyInForce policies, IPayloadMasker masker, ICallRecorder calls, IdentitySettings? identity, TimeProvider time)
{
    public const string Name = "proctor__request_access";

    /// <summary>The server name the call is recorded under, as if the gateway were an upstream of itself.</summary>
    public const string Server = "proctor";

    private const string Target = "request_access";

    /// <summary>The authentication method agent keys carry (Proctor.Identity's AgentKeyAuthenticator.Method); agents hold no grants.</summary>
    private const string AgentKeyMethod = "agent-key";

    private const int MaxTextChars = 1000;

    private const int MaxTools = 100;

    /// <summary>The same rule as /api/access (PersonRequirement): a verified person, with an identity section, never an agent key.</summary>
    public bool MayRequest(Caller caller) =>
        identity is not null && caller.IsAuthenticated && !caller.IsGateway && caller.Issuer is not null && caller.AuthenticationMethod != AgentKeyMethod;

    public static JsonObject Definition() => new()
    {
        ["name"] = Name,
        ["title"] = "Request just-in-time access",
        ["description"] = "Ask Proctor for a time-limited grant to tools that a policy grant rule covers. An approver decides; once approved, the tools appear in this list.",
        ["inputSchema"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["server"] = new JsonObject { ["type"] = "string", ["description"] = "The upstream server, e.g. bank." },
                ["tools"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["minItems"] = 1, ["maxItems"] = MaxTools, ["description"] = "Tool names on that server, without the server__ prefix." },
                ["duration"] = new JsonObject { ["type"] = "string", ["description"] = "How long, e.g. 30m, 2h, 1h30m." },
                ["reason"] = new JsonObject { ["type"] = "string", ["maxLength"] = MaxTextChars, ["description"] = "Why you need it." },
                ["ticket"] = new JsonObject { ["type"] = "string", ["maxLength"] = MaxTextChars, ["description"] = "A change or incident ticket (optional)." },
            },
            ["required"] = new JsonArray("server", "tools", "duration", "reason"),
            ["additionalProperties"] = false,
        },
    };

    /// <summary>
    /// Answers a <c>tools/call</c> of this tool (<paramref name="request"/>): a tool result, an error result for every
    /// refusal. Like every call, its masked request is committed to the ledger before anything is done and its masked
    /// answer before it is delivered; a ledger that cannot record refuses the call.
    /// </summary>
    public async Task<JsonObject> CallAsync(JsonObject request, Caller caller, CancellationToken cancellationToken)
    {
        var id = request["id"]?.DeepClone();
        var callId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var started = time.GetTimestamp();
        try
        {
            await RecordAsync(CallRecordKind.Request, callId, caller, request, started, cancellationToken).ConfigureAwait(false);
            var answer = await AnswerAsync(id, caller, request["params"]?["arguments"] as JsonObject, cancellationToken).ConfigureAwait(false);
            await RecordAsync(CallRecordKind.Response, callId, caller, answer, started, cancellationToken).ConfigureAwait(false);
            return answer;
        }
        catch (MaskingFailedException ex)
        {
            return JsonRpc.Error(id, JsonRpcErrorCodes.InternalError,
                $"The gateway could not mask this call to {Name} before recording it ({ex.Message}), so it was not answered and no grant was requested. Shorten the reason and try again.",
                new JsonObject { ["reason"] = ReasonCodes.MaskingFailed });
        }
        catch (RecordingFailedException ex)
        {
            return JsonRpc.Error(id, JsonRpcErrorCodes.InternalError,
                $"The gateway could not record this call to {Name} in its audit ledger ({ex.Message}), so it was not answered; a grant may or may not have been requested: check 'proctor access grants'. /readyz shows the ledger's state.",
                new JsonObject { ["reason"] = ReasonCodes.LedgerUnavailable });
        }
    }

    private async Task RecordAsync(CallRecordKind kind, string callId, Caller caller, JsonObject message, long started, CancellationToken cancellationToken)
    {
        var masked = masker.Mask(message, new MaskingScope(null, null), revealTo: null);
        await calls.RecordAsync(new CallRecord(kind, callId, caller, Server, McpMethods.ToolsCall, Target, masked, time.GetElapsedTime(started)), cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> AnswerAsync(JsonNode? id, Caller caller, JsonObject? arguments, CancellationToken cancellationToken)
    {
        if (Read(arguments, out var problem) is not { } ask)
        {
            return Refused(id, problem!);
        }

        var (draft, refusal) = GrantRequests.Draft(policies.Current.Model, identity, caller, ask.Server, ask.Tools, ask.Duration, Masked(ask.Reason) ?? "", Masked(ask.Ticket));
        GrantOutcome outcome;
        try
        {
            outcome = draft is null ? new GrantOutcome(null, refusal) : await desk.RequestAsync(draft, GrantRequests.Actor(caller, "mcp"), cancellationToken).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            return Refused(id, $"The request could not be recorded in the ledger, so it was not made: {ex.Reason} Try again in a minute.");
        }

        if (outcome.Refusal is { } refused)
        {
            return Refused(id, $"{refused.Message} ({refused.Code})");
        }

        var grant = outcome.Grant!;
        var text = $"Requested grant {grant.Id} for {grant.Server}/{string.Join(", ", grant.Tools)} for {grant.Duration}. "
            + $"It waits for {grant.MinApprovals} approval(s) from a member of {string.Join(" or ", grant.ApproverGroups)} until {grant.DecideBy:u}; "
            + $"they run: proctor access approve {grant.Id} --token <their access token>. "
            + "Once approved the tools appear in tools/list; follow it with 'proctor access grants' or GET /api/access.";
        return JsonRpc.Result(id, new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
            ["structuredContent"] = GrantJson.Of(grant, time.GetUtcNow()),
            ["isError"] = false,
        });
    }

    private static JsonObject Refused(JsonNode? id, string message) => JsonRpc.Result(id, new JsonObject
    {
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = $"No grant was requested: {message}" }),
        ["isError"] = true,
    });

    private string? Masked(string? text) => string.IsNullOrWhiteSpace(text) ? null
        : (string?)masker.Mask(new JsonObject { ["text"] = text.Trim() }, new MaskingScope(null, null), revealTo: null).Message["text"];

    private static Ask? Read(JsonObject? arguments, out string? problem)
    {
        problem = "Pass { \"server\": \"bank\", \"tools\": [\"run_sql\"], \"duration\": \"2h\", \"reason\": \"CHG-1234: …\", \"ticket\": \"CHG-1234\" } (ticket optional).";
        if (arguments is null
            || arguments["server"] is not JsonValue server || !server.TryGetValue<string>(out var serverName)
            || arguments["tools"] is not JsonArray tools || tools.Count is 0 or > MaxTools
            || arguments["duration"] is not JsonValue duration || !duration.TryGetValue<string>(out var durationText)
            || arguments["reason"] is not JsonValue reason || !reason.TryGetValue<string>(out var reasonText) || reasonText.Length > MaxTextChars)
        {
            return null;
        }

        var names = new List<string>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool is not JsonValue value || !value.TryGetValue<string>(out var name))
            {
                return null;
            }

            names.Add(name);
        }

        string? ticketText = null;
        if (arguments["ticket"] is { } ticket && (ticket is not JsonValue t || !t.TryGetValue(out ticketText) || ticketText.Length > MaxTextChars))
        {
            return null;
        }

        if (ParseDuration(durationText) is not { } span)
        {
            problem = $"duration '{durationText}' is not a duration; write it as 30m, 2h or 1h30m.";
            return null;
        }

        problem = null;
        return new Ask(serverName, names, span, reasonText, ticketText);
    }

    private static TimeSpan? ParseDuration(string text)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return null;
        }

        long Part(int group) => match.Groups[group].Success ? long.Parse(match.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var seconds = (((Part(1) * 24) + Part(2)) * 60 + Part(3)) * 60 + Part(4);
        // The same bounds as duration_seconds on POST /api/access: at least a second, at most a year; the desk applies access.maxDuration.
        return seconds is < 1 or > 366L * 24 * 3600 ? null : TimeSpan.FromSeconds(seconds);
    }

    [GeneratedRegex(@"^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,7})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    private sealed record Ask(string Server, IReadOnlyList<string> Tools, TimeSpan Duration, string Reason, string? Ticket);
}
