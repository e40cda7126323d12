using System.Text.Json.Nodes;
using Proctor.Policy.Options;

namespace Proctor.Policy.Building;

/// <summary>
/// The canonical form of a valid policy, as JSON the host hashes with RFC 8785 (which also sorts the
/// keys): sets (subjects, patterns, scopes) sorted and without duplicates, days expanded in week
/// order, hours as <c>HH:MM-HH:MM</c>, durations in seconds, defaults written out. Rule order is
/// kept: it decides which rule is cited. <c>description</c> is left out: it changes no decision.
/// Changing this form changes every hash, so <see cref="Format"/> MUST change with it.
/// </summary>
public static class CanonicalPolicy
{
    public const string Format = "proctor.policy/1";

    public static JsonObject Of(PolicyOptions options)
    {
        var roles = new JsonObject();
        foreach (var (name, members) in options.Roles.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            roles[name] = Subjects(members);
        }

        var windows = new JsonObject();
        foreach (var (name, window) in options.TimeWindows.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            windows[name] = Window(window);
        }

        var rules = new JsonArray();
        foreach (var rule in options.Rules)
        {
            rules.Add(Rule(rule));
        }

        return new JsonObject { ["format"] = Format, ["roles"] = roles, ["timeWindows"] = windows, ["rules"] = rules };
    }

    private static JsonObject Rule(RuleOptions rule)
    {
        var json = new JsonObject
        {
            ["id"] = rule.Id,
            ["effect"] = rule.Effect,
            ["subjects"] = Subjects(rule.Subjects!),
            ["targets"] = Targets(rule.Targets!),
        };
        if (rule.Require is { } require)
        {
            var requirement = new JsonObject { ["mfa"] = require.Mfa, ["amr"] = Set(require.Amr), ["acr"] = Set(require.Acr), ["scopes"] = Set(require.Scopes) };
            if (require.MaxAuthAge is { } age)
            {
                requirement["maxAuthAgeSeconds"] = (long)RequirementBuilder.Duration(age)!.Value.TotalSeconds;
            }

            json["require"] = requirement;
        }

        Optional(json, "during", rule.During);
        Optional(json, "outside", rule.Outside);
        Optional(json, "condition", rule.Condition);
        Optional(json, "message", rule.Message);
        Optional(json, "link", rule.Link);
        if (rule.Effect is "approve" or "grant")
        {
            json["approval"] = new JsonObject { ["approvers"] = Set(rule.Approval?.Approvers ?? []), ["minApprovals"] = rule.Approval?.MinApprovals ?? 1 };
        }

        return json;
    }

    private static JsonObject Subjects(SubjectOptions subjects) => subjects.Everyone
        ? new JsonObject { ["everyone"] = true }
        : new JsonObject
        {
            ["users"] = Set(subjects.Users),
            ["groups"] = Set(subjects.Groups),
            ["agentKeys"] = Set(subjects.AgentKeys),
            ["roles"] = Set(subjects.Roles),
        };

    private static JsonObject Targets(TargetOptions targets)
    {
        var json = new JsonObject { ["servers"] = Set(targets.Servers) };
        if (targets.Tools is not null)
        {
            json["tools"] = Set(targets.Tools);
        }

        if (targets.Prompts is not null)
        {
            json["prompts"] = Set(targets.Prompts);
        }

        if (targets.Resources is not null)
        {
            json["resources"] = Set(targets.Resources);
        }

        return json;
    }

    private static JsonObject Window(TimeWindowOptions window)
    {
        var report = FieldReporter.At(new ErrorSink(new Dictionary<string, SourceLocation>()), "");
        var mask = TimeWindowBuilder.Days(window.Days, report) ?? 0;
        var (start, end) = TimeWindowBuilder.Hours(window.Hours, report) ?? (0, 0);
        var days = new JsonArray();
        foreach (var day in (ReadOnlySpan<int>)[1, 2, 3, 4, 5, 6, 0])
        {
            if ((mask & (1 << day)) != 0)
            {
                days.Add(TimeWindowBuilder.DayNames[day]);
            }
        }

        return new JsonObject { ["timeZone"] = window.TimeZone, ["days"] = days, ["hours"] = $"{start / 60:D2}:{start % 60:D2}-{end / 60:D2}:{end % 60:D2}" };
    }

    private static JsonArray Set(IEnumerable<string> values) =>
        new([.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(v => (JsonNode)JsonValue.Create(v))]);

    private static void Optional(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }
}
