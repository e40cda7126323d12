using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// One task: its status, the questions it waits on, and its outcome once terminal. A terminal
/// status never changes again (a late result after a cancel is dropped), so what a client saw
/// as final stays final.
/// </summary>
internal sealed class FixtureTask
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly Dictionary<string, (InputRequest Request, TaskCompletionSource<InputResponse> Answer)> pending = new(StringComparer.Ordinal);
    private string status = TaskStatus.Working;
    private DateTimeOffset lastUpdatedAt;
    private JsonNode? result;
    private JsonNode? error;

    public FixtureTask(string id, TimeProvider time, TimeSpan timeToLive)
    {
        Id = id;
        this.time = time;
        TimeToLive = timeToLive;
        CreatedAt = lastUpdatedAt = time.GetUtcNow();
    }

    public string Id { get; }

    public DateTimeOffset CreatedAt { get; }

    public TimeSpan TimeToLive { get; }

    /// <summary>Cancelled by tasks/cancel; the tool's work observes it.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    public bool IsExpired(DateTimeOffset now) => now - CreatedAt > TimeToLive;

    /// <summary>Parks the task in input_required until tasks/update answers <paramref name="key"/>.</summary>
    public Task<InputResponse> AskAsync(string key, InputRequest request, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<InputResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            pending[key] = (request, answer);
            Touch(TaskStatus.InputRequired);
        }

        return answer.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Delivers answers; keys the task did not ask for are ignored (SEP-2663 tasks/update).</summary>
    public void Answer(IDictionary<string, InputResponse> responses)
    {
        var answered = new List<(TaskCompletionSource<InputResponse>, InputResponse)>();
        lock (gate)
        {
            foreach (var (key, response) in responses)
            {
                if (pending.Remove(key, out var question))
                {
                    answered.Add((question.Answer, response));
                }
            }

            if (answered.Count > 0 && pending.Count == 0 && status == TaskStatus.InputRequired)
            {
                Touch(TaskStatus.Working);
            }
        }

        foreach (var (waiter, response) in answered)
        {
            waiter.TrySetResult(response);
        }
    }

    public void Complete(CallToolResult toolResult) =>
        Finish(TaskStatus.Completed, JsonSerializer.SerializeToNode(toolResult, McpJsonUtilities.DefaultOptions.GetTypeInfo<CallToolResult>()), null);

    public void Fail(int code, string message) =>
        Finish(TaskStatus.Failed, null, new JsonObject { ["code"] = code, ["message"] = message });

    public void Cancel()
    {
        Finish(TaskStatus.Cancelled, null, null);
        Cancellation.Cancel();
    }

    /// <summary>The CreateTaskResult answered to the tools/call that started this task.</summary>
    public CreateTaskResult Created()
    {
        lock (gate)
        {
            return new CreateTaskResult
            {
                TaskId = Id,
                Status = status,
                CreatedAt = CreatedAt,
                LastUpdatedAt = lastUpdatedAt,
                TtlMs = (long)TimeToLive.TotalMilliseconds,
                PollIntervalMs = CreateTaskResult.SuggestedPollIntervalMs,
            };
        }
    }

    /// <summary>The DetailedTask that tasks/get answers: the outcome inlined once terminal.</summary>
    public JsonObject Describe()
    {
        lock (gate)
        {
            var detailed = new JsonObject
            {
                ["resultType"] = "complete",
                ["taskId"] = Id,
                ["status"] = status,
                ["createdAt"] = CreatedAt.ToString("O"),
                ["lastUpdatedAt"] = lastUpdatedAt.ToString("O"),
                ["ttlMs"] = (long)TimeToLive.TotalMilliseconds,
                ["pollIntervalMs"] = CreateTaskResult.SuggestedPollIntervalMs,
            };
            if (result is not null)
            {
                detailed["result"] = result.DeepClone();
            }

            if (error is not null)
            {
                detailed["error"] = error.DeepClone();
            }

            if (status == TaskStatus.InputRequired)
            {
                var requests = new JsonObject();
                foreach (var (key, question) in pending)
                {
                    requests[key] = JsonSerializer.SerializeToNode(question.Request, McpJsonUtilities.DefaultOptions.GetTypeInfo<InputRequest>());
                }

                detailed["inputRequests"] = requests;
            }

            return detailed;
        }
    }

    private void Finish(string terminal, JsonNode? outcome, JsonNode? failure)
    {
        lock (gate)
        {
            if (TaskStatus.IsTerminal(status))
            {
                return;
            }

            pending.Clear();
            result = outcome;
            error = failure;
            Touch(terminal);
        }
    }

    private void Touch(string next)
    {
        status = next;
        lastUpdatedAt = time.GetUtcNow();
    }
}
