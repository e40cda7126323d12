using System.Text.RegularExpressions;

namespace Proctor.FunctionalTests.Cli;

/// <summary>
/// The "A five-minute tour" section of README.md, read from the file itself: its numbered steps, and in
/// each the fenced code blocks (bash commands, JSON client configuration) a reader copies.
/// </summary>
internal sealed partial class ReadmeTour
{
    public const string Heading = "## A five-minute tour";

    private ReadmeTour(IReadOnlyList<TourStep> steps) => Steps = steps;

    public IReadOnlyList<TourStep> Steps { get; }

    public TourStep Step(int number) =>
        Steps.SingleOrDefault(s => s.Number == number) ?? throw new Xunit.Sdk.XunitException($"README.md's tour has no step {number}.");

    public static ReadmeTour Load(string readmePath)
    {
        var lines = File.ReadAllLines(readmePath);
        var start = Array.IndexOf(lines, Heading);
        Assert.True(start >= 0, $"README.md has no line '{Heading}'.");

        var steps = new List<TourStep>();
        List<TourBlock>? blocks = null;
        List<string> text = [];
        List<string>? fence = null;
        var language = "";
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            var trimmed = line.Trim();
            if (fence is not null)
            {
                if (trimmed == "```")
                {
                    blocks!.Add(new TourBlock(language, fence));
                    fence = null;
                }
                else
                {
                    fence.Add(trimmed);
                }

                continue;
            }

            if (StepStart().Match(line) is { Success: true } match)
            {
                blocks = [];
                text = [];
                steps.Add(new TourStep(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), text, blocks));
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                Assert.True(blocks is not null, $"README.md's tour has a code block before its first numbered step: {line}");
                language = trimmed[3..];
                fence = [];
            }
            else
            {
                text.Add(trimmed);
            }
        }

        Assert.True(fence is null, "README.md's tour has an unclosed code block.");
        return new ReadmeTour(steps);
    }

    [GeneratedRegex(@"^(\d+)\. ")]
    private static partial Regex StepStart();
}

/// <summary>One numbered step: its prose (fences removed) and its code blocks in order.</summary>
internal sealed record TourStep(int Number, IReadOnlyList<string> TextLines, IReadOnlyList<TourBlock> Blocks)
{
    public string Text => string.Join(' ', TextLines);

    /// <summary>Every command of the step's bash blocks, in order (blank lines and comments skipped).</summary>
    public IEnumerable<string> Commands =>
        Blocks.Where(b => b.Language == "bash").SelectMany(b => b.Lines).Where(l => l.Length > 0 && !l.StartsWith('#'));

    public IEnumerable<TourBlock> Json => Blocks.Where(b => b.Language == "json");
}

internal sealed record TourBlock(string Language, IReadOnlyList<string> Lines)
{
    public string Content => string.Join('\n', Lines);
}
