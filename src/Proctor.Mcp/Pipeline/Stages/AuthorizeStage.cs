using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Approvals.Grants;
using Proctor.Configuration.Models;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Protocol;
using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// The policy decides (docs/policy.md, decision 0030). A call to a tool, prompt, resource or server is allowed,
/// refused by a deny (or by default: nothing allows it), or passed on needing approval: an <c>approve</c> decision on a
/// tool call goes to the Approve stage with who must approve (<see cref="CallContext.ApprovalRequired"/>; decision 0037);
/// on anything else (a prompt, a resource) it is refused, since only a tool call can be held and run once. A list is never
/// refused: its answer is filtered, on the way back and before Mask and Record see it, to what the caller could
/// use. Every call carries the decision and the hash of the policy that made it into its ledger records.
/// The gateway's own housekeeping (Authenticate admits only that for it) is not a policy question. A tools/list answer,
/// before it is filtered, also tells the policy the upstream's tool schemas: a condition reading a field a tool does not
/// declare is logged once and shown on /readyz (decision 0036). A <c>grant</c> decision allows a tool call only while
/// the caller holds an active just-in-time grant for exactly this server and tool (<see cref="ActiveGrants"/>, in memory,
/// compared with the call's own time: a grant that ended refuses the next call; decision 0041), and lists show such a
/// tool only to holders of one. Without <c>grants</c> (a pipeline built without them) a grant decision always refuses.
/// </summary>
internal sealed partial class AuthorizeStage(PolicyInForce policies, IdentitySettings? identity, TimeProvider time, ILogger<AuthorizeStage> logger, ActiveGrants? grants = null) : ICallStage
{
    public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        var policy = policies.Current.Model;
        if (context.Caller.IsGateway)
        {
            context.Decision = new CallDecision("allow", null, policy.Hash, ReasonCodes.PolicyNotApplicable);
            return next(context, cancellationToken);
        }

        var server = context.Upstream.Name;
        switch (CallTargets.Classify(context.Method, context.Request, server, out var target))
        {
            case CallQuestion.List:
                context.Decision = new CallDecision("allow", null, policy.Hash, ReasonCodes.PolicyListFiltered);
                var caller = PolicyCallers.Of(context.Caller, identity);
                var at = time.GetUtcNow();
                context.OnMessage((ctx, message, _) =>
                {
                    if (message.Kind == CallMessageKind.Response)
                    {
                        ReviewInputSchemas(ctx.Method, message.Original, policy, server);
                        ListFilter.Apply(ctx.Method, message.Original, policy, caller, server, at, grants, ctx.Caller.Key);
                    }

                    return ValueTask.CompletedTask;
                });
                return next(context, cancellationToken);
            case CallQuestion.NotApplicable:
                context.Decision = new CallDecision("allow", null, policy.Hash, ReasonCodes.PolicyNotApplicable);
                return next(context, cancellationToken);
        }

        var now = time.GetUtcNow();
        var decision = policy.Decide(new PolicyRequest(PolicyCallers.Of(context.Caller, identity), target, Arguments(context), now));
        context.Decision = CallDecision.Of(decision);
        if (decision.IsAllowed)
        {
            return next(context, cancellationToken);
        }

        if (decision.Effect == PolicyEffect.Grant)
        {
            if (target.Kind == TargetKind.Tool && grants?.Covering(context.Caller.Key, server, target.Name, now) is not null)
            {
                context.Decision = context.Decision with { ReasonCode = ReasonCodes.AccessGranted };
                return next(context, cancellationToken);
            }

            context.Refuse(decision.ReasonCode, GrantMessage(decision, server, target), JsonRpcErrorCodes.Refused, Data(decision));
            return Task.CompletedTask;
        }

        if (decision.Effect == PolicyEffect.Approve && context.Method == McpMethods.ToolsCall && context.Target is not null)
        {
            context.ApprovalRequired = decision;
            return next(context, cancellationToken);
        }

        context.Refuse(decision.ReasonCode, Message(decision), JsonRpcErrorCodes.Refused, Data(decision));
        return Task.CompletedTask;
    }

    private void ReviewInputSchemas(string method, JsonObject response, Policy.PolicyModel policy, string server)
    {
        if (method != McpMethods.ToolsList || response["result"]?["tools"] is not JsonArray tools)
        {
            return;
        }

        foreach (var finding in policies.InputSchemas.Review(policy, server, tools))
        {
            Log.ConditionReadsUndeclaredField(logger, finding.RuleId ?? $"rules[{finding.RuleIndex}]", server, finding.ToString(), policy.Hash);
        }
    }

    /// <summary>Tool arguments (prompt arguments for prompts/get); absent for other methods, which conditions then see as an empty map.</summary>
    private static JsonNode? Arguments(CallContext context) => context.Request["params"]?["arguments"];

    /// <summary>What the caller reads: the rule's message, the rule named, and where to ask.</summary>
    private static string Message(PolicyDecision decision)
    {
        var text = decision.Message;
        if (decision.Effect == PolicyEffect.Approve)
        {
            var approvers = decision.Approval is { Approvers.Count: > 0 } approval
                ? $"{approval.MinApprovals} approval(s) from {string.Join(" or ", approval.Approvers)}"
                : "someone else's approval";
            text = $"Approval required: {text.TrimEnd('.')}. This needs {approvers} (policy rule '{decision.RuleId}'), but only a tool call can be held for approval, so this request was refused. Ask the policy's owner to make the rule target tools only.";
        }
        else if (!text.Contains($"'{decision.RuleId}'", StringComparison.Ordinal))
        {
            text = $"{text.TrimEnd('.')}. (policy rule '{decision.RuleId}')";
        }

        return decision.Link is { } link ? $"{text} To ask for access: {link}" : text;
    }

    /// <summary>What a caller without an active grant reads: that one is needed, and the command that asks for it.</summary>
    private static string GrantMessage(PolicyDecision decision, string server, PolicyTarget target)
    {
        var text = target.Kind == TargetKind.Tool
            ? $"{decision.Message.TrimEnd('.')}. You hold no active grant for {server}/{target.Name} (none was given, or it expired or was revoked). Ask for one: proctor access request --server {server} --tool {target.Name} --duration 1h --reason \"TICKET: why\" (or POST /api/access); members of {Approvers(decision)} approve it."
            : $"{decision.Message.TrimEnd('.')}. Grants cover tools only, so this {target.Kind.ToString().ToLowerInvariant()} cannot be used under one; ask the policy's owner to make the rule target tools only.";
        return decision.Link is { } link ? $"{text} To ask for access: {link}" : text;
    }

    private static string Approvers(PolicyDecision decision) =>
        decision.Approval is { Approvers.Count: > 0 } approval ? string.Join(" or ", approval.Approvers) : "the approver role's groups";

    private static JsonObject Data(PolicyDecision decision)
    {
        var data = new JsonObject { ["rule"] = decision.RuleId, ["policyHash"] = decision.PolicyHash };
        if (decision.Link is { } link)
        {
            data["link"] = link;
        }

        if (decision.RequiredScopes.Count > 0)
        {
            var scopes = new JsonArray();
            foreach (var scope in decision.RequiredScopes)
            {
                scopes.Add(scope);
            }

            data["scopes"] = scopes;
        }

        return data;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2920, Level = LogLevel.Warning, Message = "Policy rule {Rule} reads an argument that a tool of upstream {Server} does not declare in its inputSchema: {Finding}. The condition will find that field absent on every call of this tool (has() is false; reading it is an error, which denies), so the rule may not decide as its author meant. Correct the field name in the policy file (it reloads when saved), or ask the upstream's owner whether the tool's schema changed. Policy {PolicyHash}; /readyz lists such findings under policy.inputSchemaFindings (auditors and admins).")]
        public static partial void ConditionReadsUndeclaredField(ILogger logger, string rule, string server, string finding, string policyHash);
    }
}
