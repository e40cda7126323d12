using System.Globalization;
using Microsoft.AspNetCore.Http;
using Proctor.Ledger.Examination;
using Proctor.Ledger.Storage;

namespace Proctor.Http.Api;

/// <summary>
/// The query string of <c>GET /api/sessions</c>, the filters of <c>proctor sessions list</c>. Unknown parameters
/// are refused: a misspelt filter would otherwise widen the answer silently.
/// </summary>
internal static class SessionFilter
{
    /// <summary>Answers are bounded: a gateway faces untrusted clients, and an examiner pages by time instead.</summary>
    public const int MaxLimit = 1000;

    private static readonly string[] Known = ["identity", "server", "since", "until", "limit"];

    /// <summary>The query, or null and a sentence naming the parameter at fault.</summary>
    public static (SessionQuery? Query, string? Problem) Parse(IQueryCollection query)
    {
        if (query.Keys.FirstOrDefault(key => !Known.Contains(key, StringComparer.Ordinal)) is { } unknown)
        {
            return (null, $"'{unknown}' is not a filter of /api/sessions; use {string.Join(", ", Known)}.");
        }

        if (query.Keys.FirstOrDefault(key => query[key].Count > 1) is { } repeated)
        {
            return (null, $"'{repeated}' is given more than once; give each filter at most once.");
        }

        if (!TryTime(query, "since", out var since, out var problem) || !TryTime(query, "until", out var until, out problem))
        {
            return (null, problem);
        }

        var limit = 100;
        if (query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return (null, $"'limit' ('{text}') must be a whole number from 1 to {MaxLimit}.");
        }

        return (new SessionQuery { Subject = Text(query, "identity"), Server = Text(query, "server"), From = since, To = until, Limit = limit }, null);
    }

    internal static bool TryTime(IQueryCollection query, string name, out DateTimeOffset? time, out string? problem)
    {
        (time, problem) = (null, null);
        if (Text(query, name) is not { } text)
        {
            return true;
        }

        if (ExaminerTime.TryParse(text, out var parsed))
        {
            time = parsed;
            return true;
        }

        problem = $"'{name}' ('{text}') is not a time; use e.g. {ExaminerTime.Example} (UTC unless an offset is given).";
        return false;
    }

    internal static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } value ? value : null;
}
