using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Proctor.Policy.Options;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Building;

/// <summary>The outcome of building a policy: a model, or every problem found (never both).</summary>
public sealed record PolicyBuildResult(PolicyModel? Model, IReadOnlyList<PolicyError> Errors, JsonObject? CanonicalForm)
{
    public bool Succeeded => Model is not null;
}

/// <summary>
/// Validates a <see cref="PolicyOptions"/> and builds the immutable <see cref="PolicyModel"/>. Every
/// problem is collected before failing, each naming the rule (index and id) and the field. The
/// canonical form (<see cref="CanonicalPolicy"/>) is handed to <c>hash</c>, which the host computes
/// with the ledger's RFC 8785 canonicalizer, so every decision names the policy version that made it.
/// </summary>
public static class PolicyBuilder
{
    public static PolicyBuildResult Build(PolicyOptions options, Func<JsonObject, string> hash, PolicyBuildSettings? settings = null)
    {
        settings ??= new PolicyBuildSettings();
        var errors = new ErrorSink(options.Locations);
        var context = new PolicyBuildContext(errors, settings.HostRoles);
        var roleBook = Roles(options, context);
        Windows(options, context);

        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var valid = new List<ValidRule>();
        for (var i = 0; i < options.Rules.Count; i++)
        {
            if (RuleBuilder.Build(options.Rules[i], i, context, seenIds) is { } rule)
            {
                valid.Add(rule);
            }
        }

        if (errors.Errors.Count > 0)
        {
            return new PolicyBuildResult(null, errors.Errors, null);
        }

        var canonical = CanonicalPolicy.Of(options);
        var policyHash = hash((JsonObject)canonical.DeepClone());
        var rules = new CompiledRule[valid.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = valid[i].Compile(policyHash);
        }

        var model = new PolicyModel(rules, roleBook, policyHash, settings.ConditionBudget, options.Locations.ToFrozenDictionary(StringComparer.Ordinal));
        return new PolicyBuildResult(model, [], canonical);
    }

    private static RoleBook Roles(PolicyOptions options, PolicyBuildContext context)
    {
        var roles = new List<(string, SubjectSet)>();
        foreach (var (name, members) in options.Roles.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var at = FieldReporter.At(context.Errors, "roles." + name);
            if (!NamePattern(name))
            {
                at.Report("", $"\"{name}\" is not a valid role name; use letters, digits, '.', '_' and '-'");
                context.InvalidRoles.Add(name);
                continue;
            }

            if (context.HostRoles.Contains(name))
            {
                at.Report("", $"\"{name}\" is a role the gateway itself grants; choose another name for this role");
                context.InvalidRoles.Add(name);
                continue;
            }

            if (SubjectBuilder.ForRole(members, at) is { } set)
            {
                context.Roles[name] = members;
                roles.Add((name, set));
            }
            else
            {
                context.InvalidRoles.Add(name);
            }
        }

        return new RoleBook(roles);
    }

    private static void Windows(PolicyOptions options, PolicyBuildContext context)
    {
        foreach (var (name, window) in options.TimeWindows.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            var at = FieldReporter.At(context.Errors, "timeWindows." + name);
            if (!NamePattern(name))
            {
                at.Report("", $"\"{name}\" is not a valid time window name; use letters, digits, '.', '_' and '-'");
                context.InvalidWindows.Add(name);
            }
            else if (TimeWindowBuilder.Build(name, window, at) is { } built)
            {
                context.Windows[name] = built;
            }
            else
            {
                context.InvalidWindows.Add(name);
            }
        }
    }

    private static bool NamePattern(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
