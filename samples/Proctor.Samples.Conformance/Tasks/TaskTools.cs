using System.Collections.Frozen;
using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// The tools the tasks-* scenarios call (names and behaviour from their descriptions in the
/// conformance suite). Each behaves for real: <c>slow_compute</c> sleeps, the questions of
/// <c>confirm_delete</c> and <c>multi_input</c> wait for the client's answers.
/// </summary>
[McpServerToolType]
internal static class TaskTools
{
    private const string MrtrThenTask = "test_tool_with_task";

    /// <summary>Which tools may run as a task; every other tool always runs synchronously.</summary>
    public static readonly FrozenDictionary<string, TaskSupport> Support = new Dictionary<string, TaskSupport>
    {
        ["slow_compute"] = TaskSupport.Optional,
        ["failing_job"] = TaskSupport.Mandatory,
        ["protocol_error_job"] = TaskSupport.Optional,
        ["confirm_delete"] = TaskSupport.Optional,
        ["multi_input"] = TaskSupport.Optional,
        [MrtrThenTask] = new(Required: true, StillGathering: call => !HasAnswer(call, "user_name")),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    [McpServerTool(Name = "greet", ReadOnly = true)]
    [Description("Greets by name, synchronously (never a task).")]
    public static string Greet([Description("Who to greet.")] string name) => $"Hello, {name}!";

    [McpServerTool(Name = "slow_compute", ReadOnly = true)]
    [Description("Sleeps for the given number of seconds, then reports; runs as a task for clients that support tasks.")]
    public static async Task<string> SlowCompute(
        TimeProvider time,
        [Description("How long to work, in seconds (0 answers at once).")] int seconds,
        [Description("A label echoed in the result.")] string? label = null,
        CancellationToken cancellationToken = default)
    {
        await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 300)), time, cancellationToken);
        return $"slow_compute '{label}' finished after {seconds} s.";
    }

    [McpServerTool(Name = "failing_job")]
    [Description("Works for a second, then reports a tool execution error; runs only as a task.")]
    public static async Task<CallToolResult> FailingJob(TimeProvider time, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "failing_job ran and failed, as it always does." }] };
    }

    [McpServerTool(Name = "protocol_error_job")]
    [Description("Fails with a JSON-RPC internal error instead of a result.")]
    public static string ProtocolErrorJob() =>
        throw new McpProtocolException("protocol_error_job fails with an internal error, as it always does.", McpErrorCode.InternalError);

    [McpServerTool(Name = "confirm_delete")]
    [Description("Asks the user to confirm deleting a file, then reports the decision.")]
    public static async Task<string> ConfirmDelete(
        McpServer server, RequestContext<CallToolRequestParams> context, [Description("The file to delete.")] string filename)
    {
        var question = InputRequests.AskConfirmation($"Delete {filename}?");
        if (TaskInput.Current is { } task)
        {
            var answer = await task.AskAsync("confirm", question);
            return $"Deletion of {filename}: {Describe(answer)}.";
        }

        if (InputResponseReader.TryReadElicitation(context.Params.InputResponses, "confirm", out var direct))
        {
            return $"Deletion of {filename}: {direct.Action}.";
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask(("confirm", question));
    }

    [McpServerTool(Name = "multi_input")]
    [Description("Asks two questions at once (a name and a confirmation), then reports both answers.")]
    public static async Task<string> MultiInput(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        var name = InputRequests.AskText("What is your name?", "name");
        var confirmation = InputRequests.AskConfirmation("Proceed?");
        if (TaskInput.Current is { } task)
        {
            var answers = await Task.WhenAll(task.AskAsync("name", name), task.AskAsync("confirmation", confirmation));
            return $"name: {Describe(answers[0])}; confirmation: {Describe(answers[1])}.";
        }

        var responses = context.Params.InputResponses;
        if (InputResponseReader.TryReadElicitation(responses, "name", out var nameAnswer)
            && InputResponseReader.TryReadElicitation(responses, "confirmation", out var confirmAnswer))
        {
            return $"name: {nameAnswer.Action}; confirmation: {confirmAnswer.Action}.";
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask(("name", name), ("confirmation", confirmation));
    }

    [McpServerTool(Name = MrtrThenTask)]
    [Description("Asks for the user's name through an InputRequiredResult, then continues as a task that greets them.")]
    public static async Task<string> MrtrThenTaskTool(
        McpServer server, RequestContext<CallToolRequestParams> context, TimeProvider time, CancellationToken cancellationToken)
    {
        if (InputResponseReader.TryReadElicitation(context.Params.InputResponses, "user_name", out var answer))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
            return $"Hello, {InputResponseReader.Field(answer, "name") ?? "stranger"}! Your task has finished.";
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask(("user_name", InputRequests.AskText("What is your name?", "name")));
    }

    private static bool HasAnswer(CallToolRequestParams call, string key) => call.InputResponses?.ContainsKey(key) == true;

    private static string Describe(InputResponse answer) => answer.RawValue.ToString();
}
