using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>
/// Diagnostic tools for the 2026-07-28 stateless rules (SEP-2575): a request needing a client
/// capability that was not declared in <c>_meta</c> is refused with -32021, and the response
/// stream of a request carries notifications and its result but never a server-to-client request.
/// </summary>
[McpServerToolType]
internal static class CapabilityDiagnosticTools
{
    [McpServerTool(Name = "test_missing_capability")]
    [Description("Needs the client's sampling capability: asks the model to acknowledge, or fails with -32021 when sampling was not declared.")]
    public static string MissingCapability(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        if (InputResponseReader.TryReadSampling(context.Params.InputResponses, "acknowledgement", out var answer))
        {
            return $"The model acknowledged: {InputResponseReader.Text(answer)}";
        }

        ClientCapabilityGuard.RequireSampling(server);
        throw InputRequests.Ask(("acknowledgement", InputRequests.AskModel("Reply with OK.", 10)));
    }

    [McpServerTool(Name = "test_streaming_elicitation")]
    [Description("Streams a progress notification, then asks the user for input through an InputRequiredResult rather than an elicitation/create request.")]
    public static async Task<string> StreamingElicitation(
        McpServer server, RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        if (InputResponseReader.TryReadElicitation(context.Params.InputResponses, "user_input", out var answer))
        {
            return $"Streaming elicitation completed: action={answer.Action}, value={InputResponseReader.Field(answer, "value") ?? "absent"}";
        }

        ClientCapabilityGuard.RequireElicitation(server);
        if (context.Params.ProgressToken is { } token)
        {
            await server.NotifyProgressAsync(
                token,
                new ProgressNotificationValue { Progress = 1, Total = 2, Message = "Waiting for user input" },
                cancellationToken: cancellationToken);
        }

        throw InputRequests.Ask(("user_input", InputRequests.AskText("Please provide a value", "value")));
    }
}
