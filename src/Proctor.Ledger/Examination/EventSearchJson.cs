using System.Globalization;
using System.Text.Json.Nodes;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Examination;

/// <summary>
/// The JSON of an audit search page: one row per event, who, where, what and how it ended (no arguments or results;
/// the session's replay has them), and <c>next</c>, the cursor to pass as <c>before</c>.
/// </summary>
public static class EventSearchJson
{
    public static JsonObject Page(EventPage page) => new()
    {
        ["events"] = new JsonArray([.. page.Events.Select(Row)]),
        ["next"] = page.Next,
    };

    private static JsonObject Row(EventRecord record)
    {
        var e = record.Parse();
        return new JsonObject
        {
            ["index"] = record.Index,
            ["id"] = record.EventId,
            ["time"] = record.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["kind"] = record.Kind,
            ["session_id"] = record.SessionId,
            ["purged"] = e is null,
            ["subject"] = e?.Actor?.Subject,
            ["server"] = e?.Location?.Server,
            ["method"] = e?.Action?.Method,
            ["name"] = e?.Action?.Name,
            ["outcome"] = e?.Outcome?.Status,
            ["decision"] = e?.Decision?.Effect,
        };
    }
}
