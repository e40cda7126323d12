using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>SSE polling (SEP-1699): the server may close a response stream before the result is ready.</summary>
[McpServerToolType]
internal static class ReconnectionTool
{
    [McpServerTool(Name = "test_reconnection")]
    [Description("Closes its SSE response stream mid-call; the result is delivered when the client reconnects with Last-Event-ID.")]
    public static async Task<CallToolResult> Reconnection(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        if (ProtocolEra.UsesPerRequestMetadata(context))
        {
            return new CallToolResult
            {
                IsError = true,
                Content = [new TextContentBlock { Text = "Stream resumption needs a session, which 2026-07-28 requests do not have." }],
            };
        }

        // Ends the HTTP response before the result exists; the result goes to the event store and
        // is replayed when the client reconnects with GET and Last-Event-ID.
        await context.EnablePollingAsync(TimeSpan.FromMilliseconds(500), cancellationToken);

        // The work goes on after the stream closed. Not with the request's token: it belongs to
        // the HTTP response that just ended and is cancelled with it.
        await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = "Reconnection test completed successfully" }],
        };
    }
}
