using ModelContextProtocol.Protocol;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// Lets a tool running as a task ask the client for input: the question is parked on the task
/// (status input_required, surfaced by tasks/get) until tasks/update brings the answer. Outside a
/// task a tool asks through an InputRequiredResult instead (SEP-2322).
/// </summary>
internal static class TaskInput
{
    private static readonly AsyncLocal<FixtureTask?> Running = new();

    /// <summary>The task whose work the current code runs, if any.</summary>
    public static FixtureTask? Current => Running.Value;

    public static void Enter(FixtureTask task) => Running.Value = task;

    public static Task<InputResponse> AskAsync(this FixtureTask task, string key, InputRequest request) =>
        task.AskAsync(key, request, task.Cancellation.Token);
}
