using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Protocol;

/// <summary>
/// Sends <c>notifications/message</c> only at or above the level the client asked for: the
/// session level set by <c>logging/setLevel</c> before 2026-07-28, the per-request
/// <c>_meta</c> log level from then on. A client that asked for nothing receives nothing.
/// </summary>
internal static class ClientLog
{
    public const string LoggerName = "conformance-fixture";

    public static LoggingLevel? RequestedLevel<TParams>(RequestContext<TParams> context) =>
        ProtocolEra.UsesPerRequestMetadata(context)
            ? context.JsonRpcRequest.Context?.LogLevel
            : context.Server.LoggingLevel;

    public static Task SendAsync<TParams>(
        RequestContext<TParams> context, LoggingLevel level, string message, CancellationToken cancellationToken)
    {
        if (RequestedLevel(context) is not { } threshold || level < threshold)
        {
            return Task.CompletedTask;
        }

        return context.Server.SendNotificationAsync(
            NotificationMethods.LoggingMessageNotification,
            new LoggingMessageNotificationParams
            {
                Level = level,
                Logger = LoggerName,
                Data = JsonSerializer.SerializeToElement(message),
            },
            cancellationToken: cancellationToken);
    }
}
