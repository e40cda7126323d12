using System.Collections.Concurrent;
using System.Collections.Frozen;
using Proctor.Policy.Conditions.Checking;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Decisions;

/// <summary>The rules that cover one target, in precedence order (deny, approve, allow; each in document order).</summary>
internal sealed class Candidates(CompiledRule[] rules, bool disguised)
{
    public CompiledRule[] Rules { get; } = rules;

    /// <summary>
    /// The argument fields these rules' conditions read by name, each once (decision 0036): a tool's inputSchema is
    /// checked against these first, and rule by rule only when one is undeclared.
    /// </summary>
    public ArgumentPath[] ArgumentFields { get; } = DistinctPaths(rules);

    private static ArgumentPath[] DistinctPaths(CompiledRule[] rules)
    {
        var paths = new List<ArgumentPath>();
        foreach (var rule in rules)
        {
            foreach (var path in rule.Condition?.ArgumentPaths ?? [])
            {
                if (!paths.Exists(p => p.Segments.SequenceEqual(path.Segments, StringComparer.Ordinal)))
                {
                    paths.Add(path);
                }
            }
        }

        return [.. paths];
    }

    /// <summary>The name is refused before any rule is asked (<see cref="NameFold.IsDisguised"/>).</summary>
    public bool Disguised { get; } = disguised;
}

/// <summary>
/// Finds the rules covering a target without scanning the policy: rules are bucketed by server
/// (folded literal server names; server globs in a bucket of their own), and the answer for each
/// target seen is kept, so a steady stream of calls costs one dictionary lookup here.
/// </summary>
internal sealed class CandidateIndex
{
    /// <summary>Bounds memory when callers send many distinct names (each unknown name is kept until the bound, then all are dropped).</summary>
    private const int MaxCachedTargets = 10_000;

    private readonly FrozenDictionary<string, CompiledRule[]> _byServer;
    private readonly CompiledRule[] _anyServer;
    private readonly ConcurrentDictionary<PolicyTarget, Candidates> _cache = new();

    public CandidateIndex(IReadOnlyList<CompiledRule> rules)
    {
        var byServer = new Dictionary<string, List<CompiledRule>>(StringComparer.Ordinal);
        var anyServer = new List<CompiledRule>();
        foreach (var rule in rules)
        {
            var globbed = false;
            foreach (var server in rule.Targets.Servers)
            {
                if (server.Literal is null)
                {
                    globbed = true;
                    continue;
                }

                var key = NameFold.Fold(server.Literal);
                if (!byServer.TryGetValue(key, out var bucket))
                {
                    byServer[key] = bucket = [];
                }

                if (bucket.Count == 0 || bucket[^1] != rule)
                {
                    bucket.Add(rule);
                }
            }

            if (globbed)
            {
                anyServer.Add(rule);
            }
        }

        _byServer = byServer.ToFrozenDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        _anyServer = [.. anyServer];
    }

    public Candidates For(in PolicyTarget target)
    {
        if (_cache.TryGetValue(target, out var candidates))
        {
            return candidates;
        }

        candidates = Compute(target);
        if (_cache.Count >= MaxCachedTargets)
        {
            _cache.Clear();
        }

        _cache.TryAdd(target, candidates);
        return candidates;
    }

    private Candidates Compute(in PolicyTarget target)
    {
        var foldedServer = NameFold.Fold(target.Server);
        var foldedName = NameFold.Fold(target.Name);
        var found = new List<CompiledRule>();
        if (_byServer.TryGetValue(foldedServer, out var bucket))
        {
            foreach (var rule in bucket)
            {
                if (rule.TargetMatches(target, foldedServer, foldedName))
                {
                    found.Add(rule);
                }
            }
        }

        foreach (var rule in _anyServer)
        {
            if (!found.Contains(rule) && rule.TargetMatches(target, foldedServer, foldedName))
            {
                found.Add(rule);
            }
        }

        found.Sort(static (a, b) => a.Effect != b.Effect ? ((int)a.Effect).CompareTo((int)b.Effect) : a.Index.CompareTo(b.Index));
        return new Candidates([.. found], NameFold.IsDisguised(target.Server) || NameFold.IsDisguised(target.Name));
    }
}
