using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Proctor.Mcp.Routing;

/// <summary>
/// Which upstream owns a resource URI on <c>/mcp</c>, where URIs keep their form (MCP.md). Learnt from
/// resources/list and resources/templates/list answers; bounded, because URIs come from upstreams.
/// </summary>
public sealed class ResourceRoutes
{
    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<string, string> _exact = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Regex Pattern, string Server)> _templates = new(StringComparer.Ordinal);

    /// <summary>When several upstreams list the same URI, the first in configuration order keeps it.</summary>
    public void RememberResource(string uri, string server)
    {
        if (_exact.Count < MaxRemembered)
        {
            _exact.TryAdd(uri, server);
        }
    }

    public void RememberTemplate(string uriTemplate, string server)
    {
        if (_templates.Count < MaxRemembered)
        {
            _templates.TryAdd(uriTemplate, (TemplatePattern(uriTemplate), server));
        }
    }

    public string? Find(string uri)
    {
        if (_exact.TryGetValue(uri, out var server))
        {
            return server;
        }

        foreach (var (_, template) in _templates)
        {
            if (template.Pattern.IsMatch(uri))
            {
                return template.Server;
            }
        }

        return null;
    }

    /// <summary>An RFC 6570 template as a pattern: each <c>{expression}</c> matches any run of characters.</summary>
    private static Regex TemplatePattern(string template)
    {
        var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]*}", ".+?") + "$";
        return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
    }
}
