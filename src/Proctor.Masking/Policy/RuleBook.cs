using System.Collections.Frozen;
using Proctor.Masking.Detection;

namespace Proctor.Masking.Policy;

/// <summary>
/// Every scope's rules, built once per policy. Scopes exist only for servers and tools the policy
/// names; any other server or tool falls back to the broader scope, so upstream-chosen tool names
/// never grow this structure.
/// </summary>
internal sealed class RuleBook
{
    private readonly ScopedRules _global;
    private readonly FrozenDictionary<string, (ScopedRules Server, FrozenDictionary<string, ScopedRules> Tools)> _servers;

    public RuleBook(MaskingPolicy policy)
    {
        var entities = EntityTypes.BuiltIn
            .Concat(policy.CustomPatterns.Select(p => p.Name))
            .Concat(policy.DenyLists.Select(d => d.Name))
            .Append(EntityTypes.Field)
            .Append(EntityTypes.GatewaySecret)
            .ToArray();
        _global = new ScopedRules(entities, [policy.Rules]);
        _servers = policy.Overrides
            .GroupBy(o => o.Server, StringComparer.Ordinal)
            .ToFrozenDictionary(server => server.Key, server =>
            {
                var serverRules = server.Where(o => o.Tool is null).SelectMany(o => o.Rules).ToArray();
                var tools = server.Where(o => o.Tool is not null)
                    .GroupBy(o => o.Tool!, StringComparer.Ordinal)
                    .ToFrozenDictionary(
                        tool => tool.Key,
                        tool => new ScopedRules(entities, [policy.Rules, serverRules, tool.SelectMany(o => o.Rules).ToArray()]),
                        StringComparer.Ordinal);
                return (new ScopedRules(entities, [policy.Rules, serverRules]), tools);
            }, StringComparer.Ordinal);
    }

    public ScopedRules For(MaskingScope scope)
    {
        if (scope.Server is null || !_servers.TryGetValue(scope.Server, out var server))
        {
            return _global;
        }

        return scope.Tool is not null && server.Tools.TryGetValue(scope.Tool, out var tool) ? tool : server.Server;
    }
}
