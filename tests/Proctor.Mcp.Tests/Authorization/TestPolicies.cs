using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.Configuration.Models;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Pipeline;
using Proctor.Policy.Building;
using Proctor.Policy.Documents;

namespace Proctor.Mcp.Tests.Authorization;

/// <summary>Policies for the gateway's side of authorization: built from YAML like the host does (with a stand-in hash).</summary>
internal static class TestPolicies
{
    /// <summary>Analysts search customers; supervisors also run SQL (with the scope sql.run); transfers above 10,000 need approval; nobody transfers to GL accounts.</summary>
    public const string Bank = """
        rules:
          - id: analysts-search
            effect: allow
            subjects: { groups: [analysts, supervisors] }
            targets: { servers: [bank], tools: [search_customers, transfer_funds], prompts: [investigate], resources: ["bank://customers/*"] }
          - id: supervisors-sql
            effect: allow
            subjects: { groups: [supervisors] }
            targets: { servers: [bank], tools: [run_sql] }
            require: { scopes: [sql.run] }
          - id: big-transfers
            effect: approve
            subjects: { groups: [analysts, supervisors] }
            targets: { servers: [bank], tools: [transfer_funds] }
            condition: has(args.amount) && args.amount > 10000
            message: Transfers above $10,000 need a supervisor's approval.
            approval: { approvers: [supervisors], minApprovals: 1 }
          - id: no-gl-transfers
            effect: deny
            subjects: { everyone: true }
            targets: { servers: [bank], tools: ["transfer_*"] }
            condition: has(args.to) && args.to.startsWith('GL-')
            message: Transfers to general-ledger accounts are not allowed through the gateway.
            link: https://wiki.bank.example/gl-transfers
          - id: agents-read
            effect: allow
            subjects: { agentKeys: [nightly] }
            targets: { servers: [bank], tools: ["search_*"] }
        """;

    public static readonly Caller Analyst = new("ann", "oidc", IPAddress.Loopback, null, "2025-11-25") { Issuer = "https://idp.example", Groups = ["analysts"] };

    public static readonly Caller Supervisor = new("sam", "oidc", IPAddress.Loopback, null, "2025-11-25") { Issuer = "https://idp.example", Groups = ["supervisors"], Scopes = ["sql.run"] };

    public static readonly Caller Nightly = new("agent:nightly", "agent-key", IPAddress.Loopback, null, "2025-11-25") { Issuer = "proctor:agent-keys" };

    public static string Hash(JsonObject canonical) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));

    public static GatewayPolicy Policy(string yaml, string source = "test policy")
    {
        var read = PolicyDocumentReader.Read(yaml, "policy.yaml");
        Assert.True(read.Succeeded, string.Join("\n", read.Errors));
        var built = PolicyBuilder.Build(read.Options, Hash);
        Assert.True(built.Succeeded, string.Join("\n", built.Errors));
        return new GatewayPolicy(built.Model!, source, null);
    }

    public static PolicyInForce InForce(string yaml = Bank) => new(Policy(yaml));
}
