using Proctor.Policy.Decisions;

namespace Proctor.Policy.Tests.Rules;

/// <summary>Time windows in IANA zones: local days and hours, daylight saving, overnight windows.</summary>
public sealed class TimeWindowTests
{
    private static PolicyModel Window(string days, string hours, string zone = "America/New_York") => Policies.Build($$"""
        timeWindows: { w: { timeZone: {{zone}}, days: [{{days}}], hours: "{{hours}}" } }
        rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [s] }, during: w }]
        """);

    private static bool Allowed(PolicyModel model, string utc) =>
        model.Decide(PolicyCaller.Anonymous, "s", "t", at: DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)).IsAllowed;

    [Theory]
    [InlineData("2026-03-04T13:00:00Z", true)]   // Wed 08:00 EST: the start is included
    [InlineData("2026-03-04T12:59:00Z", false)]  // Wed 07:59 EST
    [InlineData("2026-03-04T23:00:00Z", false)]  // Wed 18:00 EST: the end is excluded
    [InlineData("2026-03-07T15:00:00Z", false)]  // Saturday
    [InlineData("2026-03-09T12:30:00Z", true)]   // Mon 08:30 EDT (daylight saving began on Mar 8)
    [InlineData("2026-03-09T13:30:00Z", true)]   // Mon 09:30 EDT
    [InlineData("2026-03-09T22:30:00Z", false)]  // Mon 18:30 EDT
    public void Contains_BusinessHoursInNewYork_FollowsLocalTime(string utc, bool inside) =>
        Assert.Equal(inside, Allowed(Window("mon-fri", "08:00-18:00"), utc));

    [Theory]
    [InlineData("2026-03-06T23:30:00Z", true)]   // Fri 23:30 UTC
    [InlineData("2026-03-07T05:59:00Z", true)]   // Sat 05:59: the morning after Friday night
    [InlineData("2026-03-07T06:00:00Z", false)]  // Sat 06:00
    [InlineData("2026-03-07T23:00:00Z", false)]  // Sat night: Saturday is not listed
    [InlineData("2026-03-09T03:00:00Z", false)]  // Mon 03:00: the morning after Sunday, not listed
    public void Contains_OvernightWindow_MorningBelongsToTheDayBefore(string utc, bool inside) =>
        Assert.Equal(inside, Allowed(Window("mon-fri", "22:00-06:00", "UTC"), utc));

    [Fact]
    public void Contains_WrappingDayRangeAndWholeDay_CoverTheWeekend()
    {
        var model = Window("fri-mon", "00:00-24:00", "UTC");

        Assert.Equal([true, true, true, true, false, false, false],
            Enumerable.Range(6, 7).Select(day => Allowed(model, $"2026-03-{day:D2}T12:00:00Z")).ToArray());
    }

    [Fact]
    public void Outside_IsTheComplement()
    {
        var model = Policies.Build("""
            timeWindows: { w: { timeZone: UTC, days: [mon-fri], hours: "09:00-17:00" } }
            rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [s] }, outside: w }]
            """);

        Assert.Equal((false, true), (Allowed(model, "2026-03-04T10:00:00Z"), Allowed(model, "2026-03-04T20:00:00Z")));
    }
}
