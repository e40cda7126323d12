namespace Proctor.Mcp.Protocol;

public static class McpMethods
{
    public const string Initialize = "initialize";
    public const string Initialized = "notifications/initialized";
    public const string Ping = "ping";
    public const string Discover = "server/discover";

    public const string ToolsList = "tools/list";
    public const string ToolsCall = "tools/call";
    public const string ResourcesList = "resources/list";
    public const string ResourcesTemplatesList = "resources/templates/list";
    public const string ResourcesRead = "resources/read";
    public const string ResourcesSubscribe = "resources/subscribe";
    public const string ResourcesUnsubscribe = "resources/unsubscribe";
    public const string PromptsList = "prompts/list";
    public const string PromptsGet = "prompts/get";
    public const string CompletionComplete = "completion/complete";
    public const string LoggingSetLevel = "logging/setLevel";
    public const string SubscriptionsListen = "subscriptions/listen";

    /// <summary>The tasks extension (SEP-2663); tasks/result and tasks/list are 2025-11-25's and gone from it.</summary>
    public const string TasksGet = "tasks/get";
    public const string TasksUpdate = "tasks/update";
    public const string TasksCancel = "tasks/cancel";
    public const string TasksResult = "tasks/result";
    public const string TasksList = "tasks/list";

    public const string Cancelled = "notifications/cancelled";
    public const string Progress = "notifications/progress";
    public const string Message = "notifications/message";
    public const string ToolsListChanged = "notifications/tools/list_changed";
    public const string PromptsListChanged = "notifications/prompts/list_changed";
    public const string ResourcesListChanged = "notifications/resources/list_changed";
    public const string ResourceUpdated = "notifications/resources/updated";
    public const string RootsListChanged = "notifications/roots/list_changed";
    public const string TaskStatus = "notifications/tasks/status";
    public const string ElicitationComplete = "notifications/elicitation/complete";
    public const string SubscriptionsAcknowledged = "notifications/subscriptions/acknowledged";
}
