using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Proctor.Policy;

namespace Proctor.Mcp.Authorization;

/// <summary>
/// Fields the policy in force reads from a tool's arguments that the tool's <c>inputSchema</c> does not declare
/// (decision 0036), as the gateway learns each upstream's tools from the <c>tools/list</c> answers passing through it.
/// Each finding is new once per policy and tool definition: <see cref="Review"/> returns it the first time only, so the
/// caller logs it once; it stays listed (for /readyz) until the policy changes or the tool's schema declares the field.
/// </summary>
public sealed class InputSchemaFindings
{
    /// <summary>Bounds memory when an upstream lists ever-new tool names: findings of tools beyond it are neither kept nor reported.</summary>
    public const int MaxTools = 1_000;

    private Findings _current;

    public InputSchemaFindings(string policyHash) => _current = new Findings(policyHash);

    /// <summary>
    /// Checks each tool of <paramref name="tools"/> (one upstream's list answer, before the caller's filter) against
    /// <paramref name="policy"/>; returns the findings not seen before for this policy and definition (usually none).
    /// </summary>
    public IReadOnlyList<PolicyError> Review(PolicyModel policy, string server, JsonArray tools)
    {
        var findings = Volatile.Read(ref _current);
        if (findings.PolicyHash != policy.Hash)
        {
            return []; // a list answered while its policy was being replaced: the new one is checked at the next list
        }

        List<PolicyError>? fresh = null;
        foreach (var item in tools)
        {
            if (item is not JsonObject tool || tool["name"] is not JsonValue value || !value.TryGetValue<string>(out var name))
            {
                continue;
            }

            var errors = policy.CheckInputSchema(server, name, tool["inputSchema"]);
            var key = (server, name);
            if (errors.Count == 0)
            {
                // The common path: nothing to report, and nothing kept to drop unless some tool had a finding.
                if (findings.Any)
                {
                    findings.ByTool.TryRemove(key, out _);
                }

                continue;
            }

            var messages = new string[errors.Count];
            for (var i = 0; i < errors.Count; i++)
            {
                messages[i] = errors[i].ToString();
            }

            var known = findings.ByTool.TryGetValue(key, out var previous);
            if ((known && previous!.AsSpan().SequenceEqual(messages)) || (!known && findings.ByTool.Count >= MaxTools))
            {
                continue;
            }

            findings.ByTool[key] = messages;
            findings.Any = true;
            for (var i = 0; i < errors.Count; i++)
            {
                if (!known || Array.IndexOf(previous!, messages[i]) < 0)
                {
                    (fresh ??= []).Add(errors[i]);
                }
            }
        }

        return fresh ?? (IReadOnlyList<PolicyError>)[];
    }

    /// <summary>What is known now for the policy with <paramref name="policyHash"/>, sorted; empty when nothing was found or listed since it came in force.</summary>
    public IReadOnlyList<string> Current(string policyHash)
    {
        var findings = Volatile.Read(ref _current);
        if (findings.PolicyHash != policyHash)
        {
            return [];
        }

        return [.. findings.ByTool.OrderBy(f => f.Key.Server, StringComparer.Ordinal).ThenBy(f => f.Key.Tool, StringComparer.Ordinal).SelectMany(f => f.Value)];
    }

    /// <summary>A new policy came in force (<see cref="PolicyInForce.Swap"/>): its findings start afresh, so each is reported once.</summary>
    public void Restart(string policyHash) => Volatile.Write(ref _current, new Findings(policyHash));

    private sealed class Findings(string policyHash)
    {
        public string PolicyHash { get; } = policyHash;

        public ConcurrentDictionary<(string Server, string Tool), string[]> ByTool { get; } = new();

        /// <summary>Set once a finding is kept, so that a list of clean tools skips the dictionary.</summary>
        public bool Any { get; set; }
    }
}
