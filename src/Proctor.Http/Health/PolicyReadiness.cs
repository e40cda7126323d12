using System.Text.Json.Nodes;
using Proctor.Mcp.Authorization;

namespace Proctor.Http.Health;

/// <summary>
/// The policy in force: its hash (what every call's ledger records name), rule count, and whether the last reload
/// was refused. Always ready: a refused reload leaves the previous policy deciding. Where the policy was read and
/// why a reload was refused are details (auditor, admin): they describe the gateway's files.
/// </summary>
internal sealed class PolicyReadiness(PolicyInForce policies) : IReadinessSource
{
    public string Name => "policy";

    public ValueTask<ReadinessReport> CheckAsync(bool details, CancellationToken cancellationToken)
    {
        var current = policies.Current;
        var body = new JsonObject
        {
            ["hash"] = current.Model.Hash,
            ["rules"] = current.Model.RuleCount,
            ["default"] = current.IsDefault,
        };
        if (details)
        {
            body["source"] = current.Source;
        }

        if (policies.LastRefused is { } refused)
        {
            body["lastReload"] = "refused";
            body["refusedAt"] = refused.At.ToString("O");
            if (details)
            {
                body["errors"] = new JsonArray([.. refused.Errors.Select(e => JsonValue.Create(e))]);
            }
        }

        return ValueTask.FromResult(new ReadinessReport(true, body));
    }
}
