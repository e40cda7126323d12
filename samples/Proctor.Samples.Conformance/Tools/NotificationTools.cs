using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>Tools that emit log and progress notifications while they run.</summary>
[McpServerToolType]
internal static class NotificationTools
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    [McpServerTool(Name = "test_tool_with_logging", ReadOnly = true)]
    [Description("Sends three info log messages, 50 ms apart, at the log level the client requested.")]
    public static async Task<string> WithLogging(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        await ClientLog.SendAsync(context, LoggingLevel.Info, "Tool execution started", cancellationToken);
        await Task.Delay(Step, cancellationToken);
        await ClientLog.SendAsync(context, LoggingLevel.Info, "Tool processing data", cancellationToken);
        await Task.Delay(Step, cancellationToken);
        await ClientLog.SendAsync(context, LoggingLevel.Info, "Tool execution completed", cancellationToken);
        return "Logging tool completed";
    }

    // Diagnostic for the 2026-07-28 rule that a request without a _meta log level gets no
    // notifications/message: it logs at every level and lets the level gate decide.
    [McpServerTool(Name = "test_logging_tool", ReadOnly = true)]
    [Description("Logs one message per level; only those at or above the requested log level are sent.")]
    public static async Task<string> LoggingTool(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        foreach (var level in Enum.GetValues<LoggingLevel>())
        {
            await ClientLog.SendAsync(context, level, $"Message at level {level}", cancellationToken);
        }

        return ClientLog.RequestedLevel(context) is { } requested
            ? $"Logged at levels {requested} and above"
            : "No log level was requested, so nothing was logged";
    }

    [McpServerTool(Name = "test_tool_with_progress", ReadOnly = true)]
    [Description("Reports progress 0, 50 and 100 of 100, 50 ms apart, when the request carries a progress token.")]
    public static async Task<string> WithProgress(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        var token = context.Params.ProgressToken;
        for (var done = 0; done <= 100; done += 50)
        {
            if (done > 0)
            {
                await Task.Delay(Step, cancellationToken);
            }

            // Awaited rather than reported through IProgress<T>, which does not wait for the send:
            // the last notification must be on the wire before the result closes the response stream.
            if (token is { } progressToken)
            {
                await context.Server.NotifyProgressAsync(
                    progressToken,
                    new ProgressNotificationValue { Progress = done, Total = 100, Message = $"{done}% done" },
                    cancellationToken: cancellationToken);
            }
        }

        return "Progress tool completed";
    }
}
