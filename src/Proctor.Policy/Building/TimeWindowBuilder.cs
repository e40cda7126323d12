using System.Globalization;
using Proctor.Policy.Options;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Building;

/// <summary>Checks a <c>timeWindows</c> entry: an IANA zone this machine knows, days, and hours.</summary>
internal static class TimeWindowBuilder
{
    public static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static TimeWindow? Build(string name, TimeWindowOptions options, FieldReporter at)
    {
        var zone = Zone(options.TimeZone, at);
        var days = Days(options.Days, at);
        var hours = Hours(options.Hours, at);
        return zone is not null && days is { } mask && hours is { } range ? new TimeWindow(name, zone, mask, range.Start, range.End) : null;
    }

    private static TimeZoneInfo? Zone(string? id, FieldReporter at)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            at.Report("timeZone", "is required: an IANA time zone such as \"America/New_York\" or \"UTC\"");
            return null;
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            if (!zone.HasIanaId)
            {
                at.Report("timeZone", $"\"{id}\" is a Windows time zone name; write the IANA name, e.g. \"America/New_York\"");
                return null;
            }

            return zone;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            at.Report("timeZone", $"\"{id}\" is not a time zone this machine knows; write an IANA name such as \"America/New_York\", \"Europe/London\" or \"UTC\" (is the tzdata package installed?)");
            return null;
        }
    }

    /// <summary>A bit per day, bit 0 for Sunday (<see cref="DayOfWeek"/>); null after reporting a problem.</summary>
    public static int? Days(List<string> days, FieldReporter at)
    {
        if (days.Count == 0)
        {
            at.Report("days", "is required: list days such as [mon-fri] or [mon, tue, wed]");
            return null;
        }

        var mask = 0;
        var ok = true;
        for (var i = 0; i < days.Count; i++)
        {
            var text = days[i].Trim().ToLowerInvariant();
            var dash = text.IndexOf('-');
            var first = Array.IndexOf(DayNames, dash < 0 ? text : text[..dash]);
            var last = dash < 0 ? first : Array.IndexOf(DayNames, text[(dash + 1)..]);
            if (first < 0 || last < 0)
            {
                at.Report($"days[{i}]", $"\"{days[i]}\" is not a day; write mon, tue, wed, thu, fri, sat, sun, or a range such as mon-fri");
                ok = false;
                continue;
            }

            for (var day = first; ; day = (day + 1) % 7)
            {
                mask |= 1 << day;
                if (day == last)
                {
                    break;
                }
            }
        }

        return ok ? mask : null;
    }

    public static (int Start, int End)? Hours(string? text, FieldReporter at)
    {
        const string Example = "\"09:00-17:00\" (24-hour local time, end excluded; \"22:00-06:00\" runs past midnight)";
        if (string.IsNullOrWhiteSpace(text))
        {
            at.Report("hours", $"is required, e.g. {Example}");
            return null;
        }

        var parts = text.Split('-');
        if (parts.Length != 2 || Minute(parts[0].Trim()) is not { } start || Minute(parts[1].Trim()) is not { } end || start == 24 * 60)
        {
            at.Report("hours", $"\"{text}\" is not a range of hours; write e.g. {Example}");
            return null;
        }

        if (start == end)
        {
            at.Report("hours", $"\"{text}\" starts and ends at the same time; for the whole day write \"00:00-24:00\"");
            return null;
        }

        return (start, end);
    }

    private static int? Minute(string text)
    {
        if (text.Length != 5 || text[2] != ':' || !int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute) || minute > 59)
        {
            return null;
        }

        return hour < 24 || (hour == 24 && minute == 0) ? (hour * 60) + minute : null;
    }
}
