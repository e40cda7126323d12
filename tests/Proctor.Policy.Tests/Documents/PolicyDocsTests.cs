using System.Text.RegularExpressions;

namespace Proctor.Policy.Tests.Documents;

/// <summary>docs/policy.md stays true: every YAML example in it builds, and the worked example is the one the decision tests use.</summary>
public sealed partial class PolicyDocsTests
{
    private static string[] YamlBlocks()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "policy.md"));
        return [.. YamlBlock().Matches(text).Select(m => m.Groups[1].Value)];
    }

    [Fact]
    public void EveryYamlExample_Builds()
    {
        var blocks = YamlBlocks();

        Assert.True(blocks.Length >= 2);
        foreach (var block in blocks)
        {
            Assert.Empty(Policies.Errors(block));
        }
    }

    [Fact]
    public void WorkedExample_IsTheTestedBankPolicy() =>
        Assert.Equal(BankPolicy.Yaml.Trim(), Assert.Single(YamlBlocks(), b => b.Contains("analysts-read-customers", StringComparison.Ordinal)).Trim());

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
