using System.Buffers;
using System.Text.RegularExpressions;
using Proctor.Masking.Policy;

namespace Proctor.Masking.Detection;

/// <summary>Operator-supplied detectors: regular expressions, deny-lists of exact terms, and the gateway's own secrets (found like terms).</summary>
internal sealed class CustomDetector
{
    private readonly (Regex Regex, string Name)[] _patterns;
    private readonly SearchValues<string>? _terms;
    private readonly (string Term, string Name)[] _termsLongestFirst;

    public CustomDetector(MaskingPolicy policy)
    {
        // The budget bounds each regex too: a pathological pattern fails closed instead of hanging a call.
        _patterns = policy.CustomPatterns
            .Select(p => (new Regex(p.Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, policy.TimeBudget), p.Name))
            .ToArray();
        _termsLongestFirst = policy.DenyLists
            .SelectMany(list => list.Terms.Select(term => (Term: term.Trim(), list.Name)))
            .Concat(policy.GatewaySecrets
                .Where(secret => secret.Trim().Length >= MaskingPolicy.MinGatewaySecretLength)
                .Select(secret => (Term: secret.Trim(), Name: EntityTypes.GatewaySecret)))
            .OrderByDescending(entry => entry.Term.Length)
            .ToArray();
        if (_termsLongestFirst.Length > 0)
            _terms = SearchValues.Create(_termsLongestFirst.Select(entry => entry.Term).ToArray(), StringComparison.OrdinalIgnoreCase);
    }

    public bool IsEmpty => _patterns.Length == 0 && _terms is null;

    public void Scan(ReadOnlySpan<char> text, List<Finding> findings)
    {
        foreach (var (regex, name) in _patterns)
            foreach (var match in regex.EnumerateMatches(text))
                if (match.Length > 0) findings.Add(new Finding(match.Index, match.Length, name));
        if (_terms is not null) ScanTerms(text, findings);
    }

    private void ScanTerms(ReadOnlySpan<char> text, List<Finding> findings)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            var k = text[pos..].IndexOfAny(_terms!);
            if (k < 0) return;
            var i = pos + k;
            pos = i + 1;
            foreach (var (term, name) in _termsLongestFirst)
            {
                if (!text[i..].StartsWith(term, StringComparison.OrdinalIgnoreCase)) continue;
                if (!TextShape.StartsWord(text, i) || !TextShape.EndsWord(text, i + term.Length)) continue;
                findings.Add(new Finding(i, term.Length, name));
                pos = i + term.Length;
                break;
            }
        }
    }
}
