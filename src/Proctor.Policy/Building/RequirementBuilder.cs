using System.Collections.Frozen;
using System.Globalization;
using Proctor.Policy.Decisions;
using Proctor.Policy.Options;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Building;

/// <summary>Checks a rule's <c>require</c> block: token facts an allow or approve rule needs.</summary>
internal static class RequirementBuilder
{
    /// <summary>Null when nothing is required; <paramref name="ok"/> false after reporting a problem.</summary>
    public static Requirements? Build(RequirementOptions? options, PolicyEffect effect, FieldReporter report, out bool ok)
    {
        ok = true;
        if (options is null)
        {
            return null;
        }

        if (effect == PolicyEffect.Deny)
        {
            report.Report("require", "a deny rule cannot have require: it would deny only callers who meet it. To refuse callers without MFA, write condition: \"!caller.mfa\" on the deny rule, or put require on the allow rule");
            ok = false;
            return null;
        }

        var at = report.Below("require");
        ok &= Entries(options.Amr, "amr", "an RFC 8176 method such as \"hwk\" or \"otp\"", at)
            & Entries(options.Acr, "acr", "an authentication context class such as \"urn:bank:loa:high\"", at)
            & Entries(options.Scopes, "scopes", "an OAuth scope such as \"bank.payments\"", at);
        for (var i = 0; i < options.Scopes.Count; i++)
        {
            if (options.Scopes[i].Contains(' ', StringComparison.Ordinal))
            {
                at.Report($"scopes[{i}]", $"\"{options.Scopes[i]}\" holds a space; list each scope as its own item");
                ok = false;
            }
        }

        TimeSpan? maxAge = null;
        if (options.MaxAuthAge is { } text)
        {
            maxAge = Duration(text);
            if (maxAge is null)
            {
                at.Report("maxAuthAge", $"\"{text}\" is not a duration; write a number and a unit, e.g. \"15m\", \"8h\" or \"1h30m\" (units s, m, h, d)");
                ok = false;
            }
        }

        if (!options.Mfa && options.Amr.Count == 0 && options.Acr.Count == 0 && options.Scopes.Count == 0 && maxAge is null && ok)
        {
            at.Report("", "requires nothing; list mfa, amr, acr, scopes or maxAuthAge, or remove require");
            ok = false;
        }

        return ok
            ? new Requirements(options.Mfa, [.. options.Amr.Distinct(StringComparer.Ordinal)], options.Acr.ToFrozenSet(StringComparer.Ordinal), [.. options.Scopes.Distinct(StringComparer.Ordinal)], maxAge)
            : null;
    }

    /// <summary>"15m", "8h", "1h30m", "90s", "1d": one or more whole numbers each with a unit; null when not that or zero.</summary>
    public static TimeSpan? Duration(string text)
    {
        var total = TimeSpan.Zero;
        var at = 0;
        while (at < text.Length)
        {
            var start = at;
            while (at < text.Length && char.IsAsciiDigit(text[at]))
            {
                at++;
            }

            if (at == start || at == text.Length || !long.TryParse(text.AsSpan(start, at - start), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > 1_000_000)
            {
                return null;
            }

            var unit = text[at++] switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => TimeSpan.Zero,
            };
            if (unit == TimeSpan.Zero)
            {
                return null;
            }

            total += unit * amount;
        }

        return total > TimeSpan.Zero ? total : null;
    }

    private static bool Entries(List<string> values, string key, string example, FieldReporter at)
    {
        var ok = true;
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]))
            {
                at.Report($"{key}[{i}]", $"is empty; write {example}");
                ok = false;
            }
        }

        return ok;
    }
}
