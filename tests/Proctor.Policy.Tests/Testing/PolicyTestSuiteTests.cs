using Proctor.Policy.Decisions;
using Proctor.Policy.Testing;

namespace Proctor.Policy.Tests.Testing;

public sealed class PolicyTestSuiteTests
{
    private const string Cases = """
        at: "2026-03-04T19:00:00Z"
        cases:
          - { name: analyst searches, as: ann, groups: [bank-analysts], call: bank__search_customers, expect: allow, rule: analysts-read-customers, listed: true }
          - { name: analyst never sees SQL, as: ann, groups: [bank-analysts], call: bank__run_sql, expect: deny, reason: policy.not_allowed, listed: false }
          - { name: big transfer, as: ann, groups: [bank-analysts], call: bank__transfer_funds, args: '{"amount": 15000}', expect: approve }
          - { name: prompt, as: ann, groups: [bank-analysts], server: bank, prompt: investigate_customer, expect: allow }
          - { name: wrong on purpose, as: ann, groups: [bank-analysts], call: bank__transfer_funds, args: '{"amount": 15}', expect: deny, listed: false }
        """;

    [Fact]
    public void Run_BankPolicy_PassesTrueExpectationsAndNamesWhatFailed()
    {
        var (cases, errors) = PolicyTestSuite.Read(Cases, DateTimeOffset.UnixEpoch);

        var results = PolicyTestSuite.Run(Policies.Build(BankPolicy.Yaml), cases);

        Assert.Empty(errors);
        Assert.Equal([null, null, null, null], results.Take(4).Select(r => r.Failure));
        Assert.Equal("expected deny, got allow by rule 'transfers-up-to-10k' (policy.allowed); expected it to be hidden, but it is listed", results[4].Failure);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 19, 0, 0, TimeSpan.Zero), cases[0].At);
        Assert.Equal(PolicyTarget.Prompt("bank", "investigate_customer"), cases[3].Target);
    }

    [Theory]
    [InlineData("cases:\n  - { name: x, as: a, call: bank, expect: allow }", "cases[0].call: \"bank\" is not server__tool; write e.g. bank__transfer_funds")]
    [InlineData("cases:\n  - { name: x, as: a, call: bank__t, expect: maybe }", "cases[0].expect: \"maybe\" is not an effect; write allow, deny, approve or grant")]
    [InlineData("cases:\n  - { name: x, as: a, call: bank__t, expect: allow, args: '[1]' }", "cases[0].args: expected a JSON object as text, e.g. '{\"amount\": 15000}'")]
    [InlineData("cases:\n  - { name: x, as: a, call: bank__t, expect: allow, grups: [g] }", "cases[0].grups: unknown key; did you mean 'groups'?")]
    [InlineData("cases:\n  - { name: x, call: bank__t, expect: allow }", "cases[0].as: required")]
    [InlineData("rules: []", "expected a mapping with cases: [ { name, as, call, expect, … } ]")]
    public void Read_InvalidFile_SaysWhichCaseAndKeyAndWhatToWrite(string yaml, string expected)
    {
        var (_, errors) = PolicyTestSuite.Read(yaml, DateTimeOffset.UnixEpoch);

        Assert.Equal([expected], errors);
    }
}
