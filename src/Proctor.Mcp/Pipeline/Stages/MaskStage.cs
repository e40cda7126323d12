using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// Where masking happens, for every call. On the way in it makes the stored copy of the request (the
/// upstream still receives the real arguments). On the way back every message gets a stored copy
/// masked for no audience and, when it goes to the client, a delivered copy masked for the caller's
/// groups; a message going upstream (the client's answer to an elicitation) is delivered unchanged.
/// If masking fails the message is withheld and the call refused: nothing unmasked leaves.
/// The call's target (tool or prompt name, resource URI) is masked here too, for the ledger and the log line.
/// </summary>
internal sealed class MaskStage(IPayloadMasker masker) : ICallStage
{
    private const string TargetMember = "target";

    // A bound on the tool names remembered below: a caller naming made-up tools fills the set until it is cleared.
    private const int MostRememberedToolNames = 4_096;

    /// <summary>
    /// Tool names that masking left as they were, per server. The masker is fixed for the gateway's life and a name is
    /// masked under its own server's and tool's rules, so the same name always masks the same: remembering the names it
    /// does not change saves one of the three masking passes of every tool call (issue 13). A name that masking changes
    /// is masked on every call and never held here.
    /// </summary>
    private readonly ConcurrentDictionary<(string Server, string Tool), bool> _namesMaskingKeeps = new();

    public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        context.RecordedTarget = RecordedTarget(context);
        context.RecordedRequest = Mask(context, context.Request, revealTo: null);
        // Decided once per call: a second masking pass for the caller only when a rule reveals something to its groups.
        var revealed = context.Caller.Groups.Count > 0 && masker.RevealsAnythingTo(context.Caller.Groups);
        context.OnMessage(revealed ? MaskForCaller : MaskOnce);
        return next(context, cancellationToken);
    }

    // The two message steps, made once rather than as a closure per call (issue 13).
    private CallMessageStep MaskOnce => field ??= (ctx, message, _) => MaskMessage(ctx, message, revealed: false);

    private CallMessageStep MaskForCaller => field ??= (ctx, message, _) => MaskMessage(ctx, message, revealed: true);

    private ValueTask MaskMessage(CallContext context, CallMessage message, bool revealed)
    {
        var stored = Mask(context, message.Original, revealTo: null);
        message.Recorded = stored;
        if (message.TowardClient)
        {
            message.Delivered = revealed ? Mask(context, message.Original, context.Caller.Groups).Message : stored.Message;
        }

        return ValueTask.CompletedTask;
    }

    private string? RecordedTarget(CallContext context)
    {
        if (context.Target is not { } target)
        {
            return null;
        }

        var isToolName = context.Method == McpMethods.ToolsCall;
        var tool = (context.Upstream.Name, target);
        if (isToolName && _namesMaskingKeeps.ContainsKey(tool))
        {
            return target;
        }

        var masked = TargetOf(Mask(context, TargetMessage(target), revealTo: null));
        if (isToolName && masked == target)
        {
            if (_namesMaskingKeeps.Count >= MostRememberedToolNames)
            {
                _namesMaskingKeeps.Clear();
            }
            _namesMaskingKeeps.TryAdd(tool, true);
        }
        return masked;
    }

    /// <summary>
    /// The target as stored, for a call refused before this stage ran (RecordRefusals): the same masking,
    /// and no target at all if it cannot be masked.
    /// </summary>
    public static string? StoredTarget(IPayloadMasker masker, CallContext context)
    {
        if (context.RecordedTarget is not null || context.Target is null)
        {
            return context.RecordedTarget;
        }

        try
        {
            return TargetOf(masker.Mask(TargetMessage(context.Target), ScopeOf(context), revealTo: null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private static JsonObject TargetMessage(string target) => new() { [TargetMember] = target };

    /// <summary>The masked target, read straight from the masker's bytes when it wrote some (one string, on every call).</summary>
    private static string? TargetOf(MaskedPayload masked)
    {
        if (masked.Utf8 is not { } written)
        {
            return masked.Message[TargetMember]?.ToString();
        }

        var reader = new Utf8JsonReader(written.Span);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(TargetMember))
            {
                reader.Read();
                // A string stays a string under masking; anything else is read as its JSON text, as the node path reads it.
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : masked.Message[TargetMember]?.ToString();
            }
        }

        return null;
    }

    private static MaskingScope ScopeOf(CallContext context) =>
        new(context.Upstream.Name, context.Method == McpMethods.ToolsCall ? context.Target : context.TaskTool);

    private MaskedPayload Mask(CallContext context, JsonObject message, IReadOnlyList<string>? revealTo)
    {
        try
        {
            var masked = masker.Mask(message, ScopeOf(context), revealTo);
            if (context.Method == McpMethods.ToolsList)
            {
                ListedToolSchemas.Adjust(masked.Message, context.Upstream.Name, masker); // schemas the masked results satisfy (decision 0014)
                masked = masked with { Utf8 = null }; // changed after masking: the ledger serializes what is delivered
            }
            return masked;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new CallRefusedException(ReasonCodes.MaskingFailed,
                $"The gateway could not mask this {context.Method} payload from '{context.Upstream.Name}' ({Reason(ex)}), so it withheld it rather than deliver or store it unmasked. Retry with a narrower request; if it persists, an operator should check masking.timeBudget and the gateway log.");
        }
    }

    private static string Reason(Exception ex) => ex is MaskingFailedException ? ex.Message : "masking engine error";
}
