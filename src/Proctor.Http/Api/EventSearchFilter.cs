using System.Globalization;
using Microsoft.AspNetCore.Http;
using Proctor.Ledger.Storage;

namespace Proctor.Http.Api;

/// <summary>
/// The query string of <c>GET /api/audit/events</c>: /api/sessions' filters plus tool, outcome and the paging cursor.
/// Unknown parameters are refused, as there: a misspelt filter would otherwise widen the answer silently.
/// </summary>
internal static class EventSearchFilter
{
    private static readonly string[] Known = ["identity", "server", "tool", "outcome", "since", "until", "before", "limit"];

    /// <summary>The search, or null and a sentence naming the parameter at fault.</summary>
    public static (EventSearch? Search, string? Problem) Parse(IQueryCollection query)
    {
        if (query.Keys.FirstOrDefault(key => !Known.Contains(key, StringComparer.Ordinal)) is { } unknown)
        {
            return (null, $"'{unknown}' is not a filter of /api/audit/events; use {string.Join(", ", Known)}.");
        }

        if (query.Keys.FirstOrDefault(key => query[key].Count > 1) is { } repeated)
        {
            return (null, $"'{repeated}' is given more than once; give each filter at most once.");
        }

        if (!SessionFilter.TryTime(query, "since", out var since, out var problem) || !SessionFilter.TryTime(query, "until", out var until, out problem))
        {
            return (null, problem);
        }

        long? before = null;
        if (SessionFilter.Text(query, "before") is { } cursor)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return (null, $"'before' ('{cursor}') must be a ledger index, as the previous page's 'next' gave it.");
            }

            before = index;
        }

        var limit = 100;
        if (SessionFilter.Text(query, "limit") is { } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > SessionFilter.MaxLimit))
        {
            return (null, $"'limit' ('{text}') must be a whole number from 1 to {SessionFilter.MaxLimit}.");
        }

        return (new EventSearch
        {
            Subject = SessionFilter.Text(query, "identity"),
            Server = SessionFilter.Text(query, "server"),
            Tool = SessionFilter.Text(query, "tool"),
            Outcome = SessionFilter.Text(query, "outcome"),
            From = since,
            To = until,
            Before = before,
            Limit = limit,
        }, null);
    }
}
