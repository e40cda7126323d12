using System.Text.RegularExpressions;
using Proctor.Configuration.Binding;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Models.Network;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary>
/// Upstreams with <c>url</c>: an address that is not link-local unless <c>allowLinkLocal</c> says so
/// (checked on the resolved address, the one actually called), and headers the gateway can send.
/// </summary>
internal sealed partial class HttpUpstreamRule : IConfigurationRule
{
    // Set by the gateway's HTTP client and the MCP Streamable HTTP transport on every request; an
    // operator's value would break framing or the session.
    private static readonly string[] GatewayHeaders =
        ["Host", "Connection", "Content-Length", "Content-Type", "Transfer-Encoding", "Accept", "Mcp-Session-Id", "Mcp-Protocol-Version", "Mcp-Method", "Mcp-Name", "Last-Event-ID"];

    private static readonly char[] SeparatorCharacters = [' ', '_', ':'];

    public void Check(ProctorOptions options, BindingContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            var path = $"upstreams.{name}";
            if (UpstreamKindRule.Kind(path, context) != UpstreamKind.Http)
            {
                continue;
            }

            if (upstream.Url is null && !context.IsRefused($"{path}.url"))
            {
                context.Add($"{path}.url", $"is empty; use e.g. \"{UpstreamUrlFormat.Example}\"");
            }

            // A malformed allowLinkLocal leaves the intent unknown: that error is the one to fix first.
            if (upstream.Url is { } url && !upstream.AllowLinkLocal && !context.IsRefused($"{path}.allowLinkLocal") && LinkLocalGuard.IsBlocked(url.Url.Host))
            {
                context.Add($"{path}.url", UpstreamUrlFormat.LinkLocal(url.Reference));
            }

            CheckHeaders(upstream, $"{path}.headers", context);
        }
    }

    private static void CheckHeaders(UpstreamOptions upstream, string path, BindingContext context)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.KeysOf(path))
        {
            var headerPath = $"{path}.{header}";
            if (!Token().IsMatch(header))
            {
                var suggestion = string.Join('-', header.Split(SeparatorCharacters, StringSplitOptions.RemoveEmptyEntries));
                context.Add(headerPath, $"{DisplayText.Quote(header)} is not a header name; use letters, digits and hyphens, e.g. {DisplayText.Quote(suggestion.Length > 0 ? suggestion : "X-Api-Key")}");
            }
            else if (GatewayHeaders.FirstOrDefault(reserved => reserved.Equals(header, StringComparison.OrdinalIgnoreCase)) is { } reservedName)
            {
                context.Add(headerPath, $"\"{reservedName}\" is set by the gateway on every request; remove it");
            }
            else if (!seen.TryAdd(header, header))
            {
                context.Add(headerPath, $"repeats \"{seen[header]}\" (header names ignore case); keep one");
            }
            else if (upstream.Headers.TryGetValue(header, out var value) && value.Reveal().AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                // Checked on the resolved value: a line break in a header value would let it inject headers.
                context.Add(headerPath, "the value contains a line break; a header value must be a single line (check the end of the referenced file or variable)");
            }
        }
    }

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex Token();
}
