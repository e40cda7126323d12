using System.Diagnostics;

namespace Proctor.Policy.Tests.Conditions;

/// <summary>A runaway condition is bounded: it stops with an error (which denies) instead of holding a thread.</summary>
public sealed class CelBudgetTests
{
    private static string BigList(int count) => "{\"items\": [" + string.Join(",", Enumerable.Range(0, count)) + "]}";

    [Fact]
    public void Evaluate_NestedMacrosOverLargeArguments_StopAtTheBudgetQuickly()
    {
        var watch = Stopwatch.StartNew();

        var result = Cel.Eval("args.items.map(a, args.items.map(b, args.items.map(c, a + b + c))).size() > 0", BigList(200));

        Assert.Equal("error: the condition exceeded its evaluation budget (a loop over too large a value); it is treated as an error", result);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Evaluate_GrowingStrings_AreChargedByLength()
    {
        Assert.StartsWith("error: the condition exceeded its evaluation budget",
            Cel.Eval("args.items.map(a, args.items.map(b, args.s + args.s)).size() > 0", "{\"s\": \"" + new string('x', 10_000) + "\", \"items\": [" + string.Join(",", Enumerable.Range(0, 100)) + "]}"));
    }

    [Fact]
    public void Evaluate_WithinBudget_Completes() => Assert.Equal("true", Cel.Eval("args.items.all(a, a >= 0)", BigList(1000)));

    [Fact]
    public void Evaluate_SmallBudget_CountsEachStep()
    {
        Assert.Equal("true", Cel.Eval("args.items.all(a, a >= 0)", BigList(10), budget: 10));
        Assert.StartsWith("error: the condition exceeded", Cel.Eval("args.items.all(a, a >= 0)", BigList(11), budget: 10));
    }

    [Fact]
    public void Matches_CatastrophicPatternForBacktrackers_RunsInLinearTime()
    {
        // (a+)+$ on "aaa…a!" takes minutes in a backtracking engine (54 s for 29 characters in the Cel package, decision 0022).
        var watch = Stopwatch.StartNew();

        var result = Cel.Eval("args.s.matches('^(a+)+$')", "{\"s\": \"" + new string('a', 5000) + "!\"}");

        Assert.Equal("false", result);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }
}
