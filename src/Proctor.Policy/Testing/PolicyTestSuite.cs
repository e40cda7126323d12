using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Policy.Decisions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Proctor.Policy.Testing;

/// <summary>One expected decision of a policy test file (docs/policy.md, "Testing a policy").</summary>
public sealed record PolicyTestCase(string Name, PolicyCaller Caller, PolicyTarget Target, JsonNode? Arguments, DateTimeOffset At, PolicyEffect Expect)
{
    public string? Rule { get; init; }

    public string? Reason { get; init; }

    /// <summary>Whether the target should appear in the caller's lists; null: not checked.</summary>
    public bool? Listed { get; init; }
}

/// <summary>How one case went: null <see cref="Failure"/> when every expectation held.</summary>
public sealed record PolicyTestResult(PolicyTestCase Case, PolicyDecision Decision, bool Visible, string? Failure);

/// <summary>
/// A file of expected decisions, for a bank's CI: <c>cases:</c>, each with who calls (<c>as</c>, <c>groups</c>,
/// <c>scopes</c>, <c>amr</c>, <c>agentKey</c>), what (<c>call: server__tool</c>, or <c>prompt</c>/<c>resource</c>
/// with <c>server</c>), <c>args</c> (a JSON object as text), <c>at</c> (an ISO 8601 instant; default: the file's
/// <c>at</c>, else now), and what must happen (<c>expect</c>, and optionally <c>rule</c>, <c>reason</c>, <c>listed</c>).
/// </summary>
public static class PolicyTestSuite
{
    private static readonly string[] CaseKeys = ["name", "as", "groups", "scopes", "amr", "acr", "agentKey", "call", "server", "prompt", "resource", "args", "at", "expect", "rule", "reason", "listed"];

    /// <summary>The cases, or every problem with the file (each naming the case and key).</summary>
    public static (IReadOnlyList<PolicyTestCase> Cases, IReadOnlyList<string> Errors) Read(string yaml, DateTimeOffset now)
    {
        var errors = new List<string>();
        var cases = new List<PolicyTestCase>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            return ([], [$"line {e.Start.Line}, column {e.Start.Column}: {e.Message}"]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("cases"), out var casesNode) || casesNode is not YamlSequenceNode list)
        {
            return ([], ["expected a mapping with cases: [ { name, as, call, expect, … } ]"]);
        }

        var fileAt = root.Children.TryGetValue(new YamlScalarNode("at"), out var atNode) ? Instant(Text(atNode), "at", errors) ?? now : now;
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is not YamlMappingNode entry)
            {
                errors.Add($"cases[{i}]: expected a mapping with name, as, call, expect");
                continue;
            }

            if (Case(entry, $"cases[{i}]", fileAt, errors) is { } read)
            {
                cases.Add(read);
            }
        }

        return (cases, errors);
    }

    public static IReadOnlyList<PolicyTestResult> Run(PolicyModel policy, IReadOnlyList<PolicyTestCase> cases)
    {
        var results = new List<PolicyTestResult>(cases.Count);
        foreach (var test in cases)
        {
            var decision = policy.Decide(new PolicyRequest(test.Caller, test.Target, test.Arguments, test.At));
            var visible = policy.IsVisible(test.Caller, test.Target, test.At);
            var failures = new List<string>();
            if (decision.Effect != test.Expect)
            {
                failures.Add($"expected {PolicyExplanation.Name(test.Expect)}, got {PolicyExplanation.Name(decision.Effect)} by rule '{decision.RuleId}' ({decision.ReasonCode})");
            }

            if (test.Rule is { } rule && rule != decision.RuleId)
            {
                failures.Add($"expected rule '{rule}' to decide, got '{decision.RuleId}'");
            }

            if (test.Reason is { } reason && reason != decision.ReasonCode)
            {
                failures.Add($"expected reason {reason}, got {decision.ReasonCode}");
            }

            if (test.Listed is { } listed && listed != visible)
            {
                failures.Add(listed ? "expected it to be listed, but it is hidden" : "expected it to be hidden, but it is listed");
            }

            results.Add(new PolicyTestResult(test, decision, visible, failures.Count == 0 ? null : string.Join("; ", failures)));
        }

        return results;
    }

    private static PolicyTestCase? Case(YamlMappingNode entry, string at, DateTimeOffset fileAt, List<string> errors)
    {
        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in entry.Children)
        {
            var name = Text(key);
            if (Array.IndexOf(CaseKeys, name) < 0)
            {
                errors.Add($"{at}.{name}: unknown key{Suggestions.DidYouMean(name, CaseKeys)}");
                continue;
            }

            values[name] = value;
        }

        var label = values.TryGetValue("name", out var nameNode) ? Text(nameNode) : at;
        var before = errors.Count;
        var subject = Required(values, "as", at, errors);
        var target = Target(values, at, errors);
        var expect = Required(values, "expect", at, errors) switch
        {
            "allow" => PolicyEffect.Allow,
            "deny" => PolicyEffect.Deny,
            "approve" => PolicyEffect.Approve,
            "grant" => PolicyEffect.Grant,
            null => PolicyEffect.Deny,
            var other => Fail(errors, $"{at}.expect: \"{other}\" is not an effect; write allow, deny, approve or grant"),
        };
        JsonNode? args = null;
        if (values.TryGetValue("args", out var argsNode))
        {
            try
            {
                args = JsonNode.Parse(Text(argsNode));
                if (args is not JsonObject)
                {
                    errors.Add($"{at}.args: expected a JSON object as text, e.g. '{{\"amount\": 15000}}'");
                }
            }
            catch (JsonException e)
            {
                errors.Add($"{at}.args: not JSON ({e.Message}); write a JSON object as text, e.g. '{{\"amount\": 15000}}'");
            }
        }

        var when = values.TryGetValue("at", out var whenNode) ? Instant(Text(whenNode), at + ".at", errors) ?? fileAt : fileAt;
        bool? listed = null;
        if (values.TryGetValue("listed", out var listedNode))
        {
            listed = Text(listedNode) switch
            {
                "true" => true,
                "false" => false,
                var other => Fail<bool?>(errors, $"{at}.listed: \"{other}\" is not true or false"),
            };
        }

        if (errors.Count > before || subject is null || target is null)
        {
            return null;
        }

        var agentKey = values.TryGetValue("agentKey", out var keyNode) ? Text(keyNode) : null;
        var caller = new PolicyCaller(subject)
        {
            Method = agentKey is null ? "oidc" : "agent-key",
            AgentKey = agentKey,
            Groups = Strings(values, "groups"),
            Scopes = Strings(values, "scopes"),
            AuthenticationMethods = Strings(values, "amr"),
            AuthenticationContext = values.TryGetValue("acr", out var acr) ? Text(acr) : null,
            AuthenticatedAt = when,
        };
        return new PolicyTestCase(label, caller, target.Value, args, when, expect)
        {
            Rule = values.TryGetValue("rule", out var rule) ? Text(rule) : null,
            Reason = values.TryGetValue("reason", out var reason) ? Text(reason) : null,
            Listed = listed,
        };
    }

    private static PolicyTarget? Target(Dictionary<string, YamlNode> values, string at, List<string> errors)
    {
        if (values.TryGetValue("call", out var call))
        {
            var text = Text(call);
            var split = text.IndexOf("__", StringComparison.Ordinal);
            if (split > 0 && split + 2 < text.Length)
            {
                return PolicyTarget.Tool(text[..split], text[(split + 2)..]);
            }

            errors.Add($"{at}.call: \"{text}\" is not server__tool; write e.g. bank__transfer_funds");
            return null;
        }

        var server = values.TryGetValue("server", out var serverNode) ? Text(serverNode) : null;
        if (server is not null && values.TryGetValue("prompt", out var prompt))
        {
            return PolicyTarget.Prompt(server, Text(prompt));
        }

        if (server is not null && values.TryGetValue("resource", out var resource))
        {
            return PolicyTarget.Resource(server, Text(resource));
        }

        errors.Add($"{at}: needs call: server__tool, or server with prompt or resource");
        return null;
    }

    private static string? Required(Dictionary<string, YamlNode> values, string key, string at, List<string> errors)
    {
        if (values.TryGetValue(key, out var node) && Text(node).Length > 0)
        {
            return Text(node);
        }

        errors.Add($"{at}.{key}: required");
        return null;
    }

    private static DateTimeOffset? Instant(string text, string key, List<string> errors)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        errors.Add($"{key}: \"{text}\" is not an instant; write ISO 8601, e.g. \"2026-03-04T14:00:00-05:00\"");
        return null;
    }

    private static string[] Strings(Dictionary<string, YamlNode> values, string key) =>
        values.TryGetValue(key, out var node) ? node switch
        {
            YamlSequenceNode sequence => [.. sequence.Children.Select(Text)],
            _ => [Text(node)],
        } : [];

    private static string Text(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : "";

    private static PolicyEffect Fail(List<string> errors, string message) => Fail<PolicyEffect>(errors, message);

    private static T Fail<T>(List<string> errors, string message)
    {
        errors.Add(message);
        return default!;
    }
}
