namespace Proctor.Samples.Conformance.Tasks;

/// <summary>The statuses of a task as written on the wire (SEP-2663).</summary>
internal static class TaskStatus
{
    public const string Working = "working";
    public const string InputRequired = "input_required";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsTerminal(string status) => status is Completed or Failed or Cancelled;
}
