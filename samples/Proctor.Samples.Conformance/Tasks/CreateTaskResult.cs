using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// The flat <c>Result &amp; Task</c> answer to a tools/call that became a task (SEP-2663):
/// <c>resultType: "task"</c> and the task's fields at the top level, never its outcome.
/// </summary>
internal sealed class CreateTaskResult : Result
{
    /// <summary>What a client is told to wait between polls: the suite polls every 200 ms anyway.</summary>
    public const long SuggestedPollIntervalMs = 500;

    public CreateTaskResult() => ResultType = "task";

    [JsonPropertyName("taskId")]
    public required string TaskId { get; init; }

    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("createdAt")]
    public required DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("lastUpdatedAt")]
    public required DateTimeOffset LastUpdatedAt { get; init; }

    [JsonPropertyName("ttlMs")]
    public required long TtlMs { get; init; }

    [JsonPropertyName("pollIntervalMs")]
    public required long PollIntervalMs { get; init; }
}

[JsonSerializable(typeof(CreateTaskResult))]
internal sealed partial class TasksJsonContext : JsonSerializerContext;
