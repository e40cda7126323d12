namespace Proctor.Policy.Tests;

/// <summary>The bank demo policy of docs/policy.md ("Worked example"), kept identical to the document by <see cref="Documents.PolicyDocsTests"/>.</summary>
internal static class BankPolicy
{
    public const string Yaml = """
        roles:
          supervisors:
            groups: [bank-supervisors]

        timeWindows:
          business-hours:
            timeZone: America/New_York
            days: [mon-fri]
            hours: "08:00-18:00"

        rules:
          - id: analysts-read-customers
            description: Analysts look customers up; they never see the SQL tool.
            effect: allow
            subjects: { groups: [bank-analysts, bank-supervisors] }
            targets:
              servers: [bank]
              tools: [search_customers, get_customer, get_account_balance, generate_statement]
              prompts: [investigate_customer]
              resources: ["bank://customers/*"]

          - id: supervisors-run-sql
            effect: allow
            subjects: { roles: [supervisors] }
            targets: { servers: [bank], tools: [run_sql] }
            require: { mfa: true }
            during: business-hours
            link: https://wiki.bank.example/sql-access

          - id: transfers-up-to-10k
            effect: allow
            subjects: { groups: [bank-analysts, bank-supervisors] }
            targets: { servers: [bank], tools: [transfer_funds] }
            condition: args.amount <= 10000

          - id: transfers-above-10k-need-approval
            effect: approve
            subjects: { groups: [bank-analysts, bank-supervisors] }
            targets: { servers: [bank], tools: [transfer_funds] }
            condition: args.amount > 10000
            message: Transfers above $10,000 need a supervisor's approval.
            approval: { approvers: [bank-supervisors], minApprovals: 1 }

          - id: transfers-in-business-hours-only
            effect: deny
            subjects: { everyone: true }
            targets: { servers: [bank], tools: [transfer_funds] }
            outside: business-hours
            message: Transfers run on weekdays from 08:00 to 18:00, New York time.

          - id: agents-read-only
            effect: deny
            subjects: { agentKeys: ["*"] }
            targets: { servers: ["*"] }
            condition: "!(target.name.startsWith('get_') || target.name.startsWith('search_'))"
            message: Agent keys may only use read tools (get_*, search_*).

          - id: reporting-agent-reads
            effect: allow
            subjects: { agentKeys: [nightly-report] }
            targets: { servers: [bank], tools: ["get_*", "search_*"] }
        """;

    public static readonly Proctor.Policy.Decisions.PolicyCaller Analyst = Policies.User("alice", "bank-analysts");

    public static readonly Proctor.Policy.Decisions.PolicyCaller Supervisor = new("sam") { Groups = ["bank-supervisors"], AuthenticationMethods = ["pwd", "otp"] };

    public static readonly Proctor.Policy.Decisions.PolicyCaller SupervisorWithoutMfa = new("sam") { Groups = ["bank-supervisors"], AuthenticationMethods = ["pwd"] };

    public static readonly Proctor.Policy.Decisions.PolicyCaller ReportingAgent = new("agent:nightly-report") { Method = "agent-key", AgentKey = "nightly-report", Groups = ["bank-analysts"] };

    public static PolicyModel Model { get; } = Policies.Build(Yaml);
}
