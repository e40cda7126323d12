using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Approvals.Desk;
using Proctor.Approvals.Evidence;
using Proctor.Approvals.Requests;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Approvals;

/// <summary>What the approval flow takes from a call: the binding, the draft approvers read (masked), and the caller as an actor.</summary>
internal static class CallApprovals
{
    /// <summary>Where a caller may give a reason for the call (<c>params._meta</c>); approvers read it, masked.</summary>
    public const string JustificationKey = "proctor/justification";

    /// <summary>Approvers read a reason, not an essay; a longer one is cut here.</summary>
    private const int MaxJustificationChars = 1000;

    /// <summary>Exactly this call: who, where, which tool, which arguments (keyed digest of the real ones), and the policy and rule that asked.</summary>
    public static CallBinding Binding(CallContext context, ArgumentDigest digest)
    {
        var arguments = context.Request["params"]?["arguments"];
        var element = arguments is null ? default : JsonSerializer.SerializeToElement(arguments, ApprovalsJsonContext.Default.JsonNode);
        var decision = context.Decision!;
        return new CallBinding(context.Caller.Key, context.Upstream.Name, context.Target!, digest.Of(element), decision.PolicyHash, decision.Rule!);
    }

    /// <summary>The request approvers will read: arguments and justification from the copy masked for no audience, as the ledger stores them.</summary>
    /// <param name="elicited">A justification the caller gave when asked (decision 0042): it takes the place of one in <c>_meta</c> and is masked exactly as that one is.</param>
    /// <exception cref="CallRefusedException">The request cannot be masked: nothing unmasked is stored.</exception>
    public static ApprovalDraft Draft(CallContext context, CallBinding binding, IReadOnlyList<string> approverGroups, int minApprovals, string? reason, IPayloadMasker masker, string? elicited = null)
    {
        JsonObject masked;
        try
        {
            masked = masker.Mask(elicited is null ? context.Request : WithJustification(context.Request, elicited), new MaskingScope(context.Upstream.Name, context.Target), revealTo: null).Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new CallRefusedException(ReasonCodes.MaskingFailed,
                $"The gateway could not mask the arguments of this call to '{context.Upstream.Name}' ({(ex is MaskingFailedException ? ex.Message : "masking engine error")}), so it made no approval request rather than store them unmasked. Retry with simpler arguments; if it persists, an operator should check the gateway log.");
        }

        var justification = masked["params"]?["_meta"]?[JustificationKey] is JsonValue value && value.TryGetValue<string>(out var text) && text.Trim().Length > 0
            ? (text.Length > MaxJustificationChars ? text[..MaxJustificationChars] + "…" : text.Trim())
            : null;
        return new ApprovalDraft(binding, context.Caller.Subject, approverGroups, minApprovals, masked["params"]?["arguments"]?.ToJsonString() ?? "{}")
        {
            Justification = justification,
            Reason = reason,
        };
    }

    /// <summary>Whether the caller sent a justification in <c>_meta</c> already (then it is not asked for one).</summary>
    public static bool HasJustification(JsonObject request) =>
        request["params"]?["_meta"]?[JustificationKey] is JsonValue value && value.TryGetValue<string>(out var text) && text.Trim().Length > 0;

    /// <summary>A copy of the request carrying <paramref name="justification"/> where a caller would put it; the upstream never receives this copy.</summary>
    private static JsonObject WithJustification(JsonObject request, string justification)
    {
        var copy = request.DeepClone().AsObject();
        if (copy["params"] is not JsonObject parameters)
        {
            copy["params"] = parameters = [];
        }

        if (parameters["_meta"] is not JsonObject meta)
        {
            parameters["_meta"] = meta = [];
        }

        meta[JustificationKey] = justification;
        return copy;
    }

    /// <summary>The caller as approval events record it, with its session so that <c>sessions replay</c> shows the hold.</summary>
    public static ApprovalActor Actor(Caller caller) => new(caller.Subject)
    {
        Issuer = caller.Issuer,
        Groups = caller.Groups,
        AuthMethod = caller.AuthenticationMethod,
        AuthenticationMethods = caller.AuthenticationMethods,
        SourceAddress = caller.SourceAddress?.ToString(),
        Via = "mcp",
        SessionId = caller.SessionId,
        ProtocolVersion = caller.ProtocolVersion,
    };

    /// <summary>Who may approve: the rule's groups, or when it names none, the groups holding the <c>approver</c> role.</summary>
    public static IReadOnlyList<string> ApproverGroups(ApprovalRequirement requirement, Configuration.Models.IdentitySettings? identity) =>
        requirement.Approvers.Count > 0 ? requirement.Approvers
        : identity is not null && identity.Roles.TryGetValue(Configuration.Models.IdentityRoles.Approver, out var groups) ? groups
        : [];
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class ApprovalsJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
