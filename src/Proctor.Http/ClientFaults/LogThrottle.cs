using System.Collections.Concurrent;

namespace Proctor.Http.ClientFaults;

/// <summary>
/// At most one log line per key and window, for events any client can cause as often as it likes (a slow body,
/// a refused call): the first of a window is logged with how many were left unlogged since, the rest only
/// counted. Keys are a closed set (fault kinds, limit names), never a caller, so the table stays small.
/// </summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan window)
{
    /// <summary>Long enough that a flood costs a line a minute per kind; short enough that an operator watching sees it.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <returns>True when this occurrence should be logged; <paramref name="unlogged"/> is how many were not since the last line.</returns>
    public bool ShouldLog(string key, out long unlogged)
    {
        var entry = _windows.GetOrAdd(key, static _ => new Window());
        var now = time.GetTimestamp();
        lock (entry)
        {
            if (entry.LoggedAt is { } last && time.GetElapsedTime(last, now) < window)
            {
                entry.Unlogged++;
                unlogged = 0;
                return false;
            }

            unlogged = entry.Unlogged;
            entry.Unlogged = 0;
            entry.LoggedAt = now;
            return true;
        }
    }

    private sealed class Window
    {
        public long? LoggedAt { get; set; }

        public long Unlogged { get; set; }
    }
}
