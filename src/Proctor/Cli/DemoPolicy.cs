namespace Proctor.Cli;

/// <summary>
/// The policy <c>proctor demo</c> writes beside its configuration (<c>policy.yaml</c>): the analyst searches customers
/// and never sees the SQL tool, the supervisor runs SQL, a transfer above $10,000 needs approval, agents only read.
/// Saved edits apply at once (the gateway watches the file).
/// </summary>
internal static class DemoPolicy
{
    public const string FileName = "policy.yaml";

    public const string Yaml = """
        # Who may call what through the demo gateway (docs/policy.md). The gateway watches this file:
        # a saved edit applies at once, and one with a mistake is refused (the log names the rule and
        # field) while the previous policy keeps deciding. What no rule allows is refused, and not listed.

        rules:
          - id: staff-read-customers
            description: Analysts and supervisors look customers up; only supervisors see the SQL tool.
            effect: allow
            subjects: { groups: [analysts, supervisors] }
            targets:
              servers: [bank]
              tools: [search_customers, get_customer, get_account_balance, generate_statement]
              prompts: [investigate_customer]
              resources: ["bank://customers/*"]

          - id: supervisors-run-sql
            effect: allow
            subjects: { groups: [supervisors] }
            targets: { servers: [bank], tools: [run_sql] }
            link: https://wiki.bank.example/sql-access

          - id: transfers-up-to-10k
            effect: allow
            subjects: { groups: [analysts, supervisors] }
            targets: { servers: [bank], tools: [transfer_funds] }
            condition: args.amount <= 10000

          - id: transfers-above-10k-need-approval
            effect: approve
            subjects: { groups: [analysts, supervisors] }
            targets: { servers: [bank], tools: [transfer_funds] }
            condition: args.amount > 10000
            message: Transfers above $10,000 need a supervisor's approval.
            approval: { approvers: [approvers], minApprovals: 1 }

          - id: agents-read-only
            description: Agent keys (and anyone in the agents group) may only read.
            effect: allow
            subjects: { groups: [agents] }
            targets: { servers: [bank], tools: ["search_*", "get_*"] }
        """;
}
