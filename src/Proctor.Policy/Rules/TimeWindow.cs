namespace Proctor.Policy.Rules;

/// <summary>
/// Days and hours in one time zone. The instant is converted to the zone's local time (daylight
/// saving included) and the local day and minute are tested; a window whose end is before its start
/// runs past midnight, and its early hours belong to the day it started on.
/// </summary>
internal sealed class TimeWindow(string name, TimeZoneInfo zone, int days, int startMinute, int endMinute)
{
    public string Name { get; } = name;

    public string Description => $"'{Name}' ({zone.Id})";

    public bool Contains(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var day = (int)local.DayOfWeek;
        var minute = (local.Hour * 60) + local.Minute;
        if (startMinute < endMinute)
        {
            return IsDay(day) && minute >= startMinute && minute < endMinute;
        }

        // Overnight (22:00-06:00): the evening part on a listed day, or the morning after one.
        return (IsDay(day) && minute >= startMinute) || (IsDay((day + 6) % 7) && minute < endMinute);
    }

    private bool IsDay(int day) => (days & (1 << day)) != 0;
}
