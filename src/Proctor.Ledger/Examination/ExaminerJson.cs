using System.Globalization;
using System.Text.Json.Nodes;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;

namespace Proctor.Ledger.Examination;

/// <summary>
/// The JSON of the examiner's views, one shape wherever they are served: <c>proctor sessions|audit … --json</c>
/// and the REST API (<c>docs/api.md</c>). Field names are snake_case like the events themselves.
/// </summary>
public static class ExaminerJson
{
    public static JsonArray Sessions(IEnumerable<SessionSummary> sessions) => [.. sessions.Select(Session)];

    public static JsonObject Session(SessionSummary s) => new()
    {
        ["session_id"] = s.SessionId,
        ["subject"] = s.Subject,
        ["server"] = s.Server,
        ["first_event"] = UtcTime(s.FirstEvent),
        ["last_event"] = UtcTime(s.LastEvent),
        ["events"] = s.EventCount,
    };

    /// <summary>The session at a glance: one row per event (no arguments or results; <see cref="Replay"/> has them).</summary>
    public static JsonObject Show(SessionTimeline timeline) => new()
    {
        ["session_id"] = timeline.SessionId,
        ["recorded_events"] = timeline.RecordedEvents,
        ["purged_events"] = timeline.PurgedEvents,
        ["events"] = new JsonArray([.. timeline.Events.Select(Row)]),
    };

    /// <summary>The conversation: every event whole, in order, with <c>offset_ms</c> since the first.</summary>
    public static JsonObject Replay(SessionTimeline timeline) => new()
    {
        ["session_id"] = timeline.SessionId,
        ["purged_events"] = timeline.PurgedEvents,
        ["events"] = new JsonArray([.. timeline.Events.Select(ReplayEvent)]),
    };

    /// <summary>The canonical event as the ledger stores it, plus its index and <c>offset_ms</c>.</summary>
    public static JsonObject ReplayEvent(TimedEvent e)
    {
        var node = JsonNode.Parse(EventJson.Canonical(e.Event))!.AsObject();
        node["index"] = e.Index;
        node["offset_ms"] = Milliseconds(e.Offset);
        return node;
    }

    /// <summary>The latest signed checkpoint: the C2SP note as signed, and its fields as read from the note.</summary>
    public static JsonObject Checkpoint(StoredCheckpoint latest, NoteVerifierKey? key)
    {
        var body = new JsonObject
        {
            ["tree_size"] = latest.TreeSize,
            ["signed_at"] = UtcTime(latest.SignedAt),
            ["note"] = latest.Note,
            ["verifier_key"] = key?.ToString(),
        };
        if (Parse(latest.Note) is { } parsed)
        {
            body["origin"] = parsed.Origin;
            body["root_hash"] = Convert.ToBase64String(parsed.RootHash);
        }

        return body;
    }

    /// <summary>A malformed note gets no parsed fields here; <c>proctor audit verify</c> reports it with its index.</summary>
    private static Checkpoints.Checkpoint? Parse(string note)
    {
        try
        {
            return SignedNote.TextOf(note) is { } text ? Checkpoints.Checkpoint.Parse(text) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static JsonObject Verification(VerificationResult result) => new()
    {
        ["intact"] = result.IsValid,
        ["entries"] = result.EntriesChecked,
        ["purged"] = result.PurgedEntries,
        ["checkpoints"] = result.CheckpointsChecked,
        ["tree_size"] = result.TreeSize,
        ["root"] = Convert.ToBase64String(result.RootHash),
        ["problem"] = result.Problem is { } p ? new JsonObject { ["kind"] = p.Kind.ToString(), ["index"] = p.Index, ["message"] = p.Message } : null,
    };

    private static JsonObject Row(TimedEvent e) => new()
    {
        ["index"] = e.Index,
        ["id"] = e.Event.Id,
        ["time"] = UtcTime(e.Event.Time),
        ["offset_ms"] = Milliseconds(e.Offset),
        ["kind"] = e.Event.Kind,
        ["call_id"] = e.Event.CallId,
        ["method"] = e.Event.Action?.Method,
        ["name"] = e.Event.Action?.Name,
        ["outcome"] = e.Event.Outcome is { } o ? new JsonObject { ["status"] = o.Status, ["summary"] = o.Summary, ["error_code"] = o.ErrorCode, ["error_message"] = o.ErrorMessage } : null,
        ["masked_entities"] = e.Event.Traffic?.MaskedEntities is { Count: > 0 } masked ? new JsonObject(masked.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))) : null,
    };

    private static double Milliseconds(TimeSpan offset) => Math.Round(offset.TotalMilliseconds, 3);

    private static string UtcTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
