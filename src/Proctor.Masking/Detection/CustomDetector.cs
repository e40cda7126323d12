using System.Buffers;
using System.Text.RegularExpressions;
using Proctor.Masking.Policy;

namespace Proctor.Masking.Detection;

/// <summary>Operator-supplied detectors: regular expressions, deny-lists of exact terms, and the gateway's own secrets (found like terms).</summary>
internal sealed class CustomDetector
{
    private readonly (Regex Regex, string Name)[] _patterns;
    private readonly Terms? _terms;
    private readonly Terms? _gatewaySecrets;

    public CustomDetector(MaskingPolicy policy)
    {
        // The budget bounds each regex too: a pathological pattern fails closed instead of hanging a call.
        _patterns = policy.CustomPatterns
            .Select(p => (new Regex(p.Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, policy.TimeBudget), p.Name))
            .ToArray();
        var secrets = policy.GatewaySecrets
            .Where(secret => secret.Trim().Length >= MaskingPolicy.MinGatewaySecretLength)
            .Select(secret => (Term: secret.Trim(), Name: EntityTypes.GatewaySecret))
            .ToArray();
        _terms = Terms.Of(policy.DenyLists.SelectMany(list => list.Terms.Select(term => (Term: term.Trim(), list.Name))).Concat(secrets));
        _gatewaySecrets = Terms.Of(secrets);
    }

    public bool IsEmpty => _patterns.Length == 0 && _terms is null;

    public bool HasGatewaySecrets => _gatewaySecrets is not null;

    public void Scan(ReadOnlySpan<char> text, List<Finding> findings)
    {
        foreach (var (regex, name) in _patterns)
        {
            foreach (var match in regex.EnumerateMatches(text))
            {
                if (match.Length > 0)
                {
                    findings.Add(new Finding(match.Index, match.Length, name));
                }
            }
        }

        _terms?.Scan(text, findings);
    }

    /// <summary>Fills <paramref name="findings"/> with the gateway's own secrets only, in text order.</summary>
    public void ScanGatewaySecrets(ReadOnlySpan<char> text, List<Finding> findings)
    {
        findings.Clear();
        _gatewaySecrets?.Scan(text, findings);
    }

    /// <summary>Exact terms found as whole words, ignoring case; the longest term wins where several start at one place.</summary>
    private sealed class Terms
    {
        private readonly SearchValues<string> _search;
        private readonly (string Term, string Name)[] _longestFirst;

        private Terms((string Term, string Name)[] longestFirst)
        {
            _longestFirst = longestFirst;
            _search = SearchValues.Create(longestFirst.Select(entry => entry.Term).ToArray(), StringComparison.OrdinalIgnoreCase);
        }

        public static Terms? Of(IEnumerable<(string Term, string Name)> terms)
        {
            var longestFirst = terms.OrderByDescending(entry => entry.Term.Length).ToArray();
            return longestFirst.Length == 0 ? null : new Terms(longestFirst);
        }

        public void Scan(ReadOnlySpan<char> text, List<Finding> findings)
        {
            var pos = 0;
            while (pos < text.Length)
            {
                var k = text[pos..].IndexOfAny(_search);
                if (k < 0)
                {
                    return;
                }

                var i = pos + k;
                pos = i + 1;
                foreach (var (term, name) in _longestFirst)
                {
                    if (!text[i..].StartsWith(term, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    if (!TextShape.StartsWord(text, i) || !TextShape.EndsWord(text, i + term.Length))
                    {
                        continue;
                    }

                    findings.Add(new Finding(i, term.Length, name));
                    pos = i + term.Length;
                    break;
                }
            }
        }
    }
}
