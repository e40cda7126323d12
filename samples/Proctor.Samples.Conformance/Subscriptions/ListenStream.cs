using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Resources;

namespace Proctor.Samples.Conformance.Subscriptions;

/// <summary>
/// <c>subscriptions/listen</c> (SEP-2575): the 2026-07-28 replacement for session-wide
/// notifications. The request's response stays open as a stream that first acknowledges what the
/// server will deliver, then carries only the list-changed and resource-updated notifications the
/// client asked for, each tagged with the listen request's id as its subscription id.
/// The SDK's built-in handler cannot do this on a stateless request (nothing outlives the
/// request there), so this one watches the shared lists and the watched resource itself.
/// </summary>
internal static class ListenStream
{
    public static async ValueTask<EmptyResult> HandleAsync(
        RequestContext<SubscriptionsListenRequestParams> context, CancellationToken cancellationToken)
    {
        var shared = context.Services!.GetRequiredService<SharedPrimitives>();
        var watched = context.Services!.GetRequiredService<WatchedResource>();
        var requested = context.Params.Notifications;
        var granted = new SubscriptionsListenNotifications
        {
            ToolsListChanged = requested.ToolsListChanged == true ? true : null,
            PromptsListChanged = requested.PromptsListChanged == true ? true : null,
            ResourcesListChanged = requested.ResourcesListChanged == true ? true : null,
            ResourceSubscriptions = requested.ResourceSubscriptions is { Count: > 0 } uris ? [.. uris] : null,
        };

        var pending = Channel.CreateUnbounded<(string Method, JsonObject Params)>();
        EventHandler onToolsChanged = (_, _) => pending.Writer.TryWrite((NotificationMethods.ToolListChangedNotification, []));
        EventHandler onPromptsChanged = (_, _) => pending.Writer.TryWrite((NotificationMethods.PromptListChangedNotification, []));
        EventHandler onResourcesChanged = (_, _) => pending.Writer.TryWrite((NotificationMethods.ResourceListChangedNotification, []));
        Action<string> onResourceUpdated = uri =>
        {
            if (granted.ResourceSubscriptions?.Contains(uri) == true)
            {
                pending.Writer.TryWrite((NotificationMethods.ResourceUpdatedNotification, new JsonObject { ["uri"] = uri }));
            }
        };

        if (granted.ToolsListChanged == true)
        {
            shared.Tools.Changed += onToolsChanged;
        }

        if (granted.PromptsListChanged == true)
        {
            shared.Prompts.Changed += onPromptsChanged;
        }

        if (granted.ResourcesListChanged == true)
        {
            shared.Resources.Changed += onResourcesChanged;
        }

        if (granted.ResourceSubscriptions is not null)
        {
            watched.Updated += onResourceUpdated;
        }

        try
        {
            var acknowledgement = JsonSerializer.SerializeToNode(
                new SubscriptionsAcknowledgedNotificationParams { Notifications = granted },
                McpJsonUtilities.DefaultOptions)!.AsObject();
            await SendAsync(context, NotificationMethods.SubscriptionsAcknowledgedNotification, acknowledgement, cancellationToken);

            await foreach (var (method, parameters) in pending.Reader.ReadAllAsync(cancellationToken))
            {
                await SendAsync(context, method, parameters, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client closed the stream: that is how a listen subscription ends.
        }
        finally
        {
            shared.Tools.Changed -= onToolsChanged;
            shared.Prompts.Changed -= onPromptsChanged;
            shared.Resources.Changed -= onResourcesChanged;
            watched.Updated -= onResourceUpdated;
        }

        return new EmptyResult();
    }

    private static Task SendAsync(
        RequestContext<SubscriptionsListenRequestParams> context, string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var meta = parameters["_meta"] as JsonObject ?? [];
        meta[MetaKeys.SubscriptionId] = context.JsonRpcRequest.Id.Id switch
        {
            string id => JsonValue.Create(id),
            long id => JsonValue.Create(id),
            _ => null,
        };
        parameters["_meta"] = meta;

        // The request-bound server writes to this request's own response stream.
        return context.Server.SendMessageAsync(
            new JsonRpcNotification { Method = method, Params = parameters }, cancellationToken);
    }
}
