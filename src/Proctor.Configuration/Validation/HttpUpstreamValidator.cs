using System.Text.RegularExpressions;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>
/// Upstreams with <c>url</c>: the address (checked after references are resolved, since that is the
/// address actually called), the headers, the protocol era. Runs after <see cref="SecretReferenceValidator"/>.
/// </summary>
internal sealed partial class HttpUpstreamValidator : IOptionsValidator
{
    // Set by the gateway's HTTP client and the MCP Streamable HTTP transport on every request; an
    // operator's value would break framing or the session.
    private static readonly string[] GatewayHeaders =
        ["Host", "Connection", "Content-Length", "Content-Type", "Transfer-Encoding", "Accept", "Mcp-Session-Id", "Mcp-Protocol-Version", "Mcp-Method", "Mcp-Name", "Last-Event-ID"];

    private static readonly char[] SeparatorCharacters = [' ', '_', ':'];

    public void Validate(ProctorOptions options, ValidationContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            if (upstream.Unreadable || upstream.Transport != UpstreamTransport.Http)
            {
                continue;
            }

            var path = $"upstreams.{name}";
            foreach (var key in upstream.WrittenKeys.Intersect(UpstreamOptions.StdioKeys))
            {
                context.Add($"{path}.{key}", "applies only to stdio upstreams (those with \"command\"); remove it from this url upstream");
            }

            var allowLinkLocal = false;
            if (upstream.AllowLinkLocal is { } allow && !BooleanFormat.TryParse(allow, out allowLinkLocal, out var allowProblem))
            {
                context.Add($"{path}.allowLinkLocal", allowProblem!);
                allowLinkLocal = true; // unknown intent: the error above is the one to fix first
            }

            if (upstream.Url is null)
            {
                if (!upstream.RefusedKeys.Contains("url"))
                {
                    context.Add($"{path}.url", $"is empty; use e.g. \"{UpstreamUrlFormat.Example}\"");
                }
            }
            else
            {
                ValidateUrl(upstream.Url, $"{path}.url", allowLinkLocal, context);
            }
            ValidateHeaders(upstream.Headers, $"{path}.headers", context);

            if (upstream.Era is { } era && !TryParseEra(era, out _))
            {
                context.Add($"{path}.era", $"{DisplayText.Quote(era)} is not an era; use auto, legacy or modern");
            }

            if (upstream.Timeout is { } timeout)
            {
                context.AddIf(DurationFormat.TryParse(timeout, "30s", out _, out var problem), $"{path}.timeout", problem);
            }
        }
    }

    internal static bool TryParseEra(string text, out UpstreamEra era)
    {
        (var ok, era) = text.ToLowerInvariant() switch
        {
            "auto" => (true, UpstreamEra.Auto),
            "legacy" => (true, UpstreamEra.Legacy),
            "modern" => (true, UpstreamEra.Modern),
            _ => (false, UpstreamEra.Auto),
        };
        return ok;
    }

    private static void ValidateUrl(string url, string path, bool allowLinkLocal, ValidationContext context)
    {
        // A URL with references is checked once resolved; if a reference failed, that error is reported already.
        if (context.Resolved.TryGetValue(path, out var resolved))
        {
            context.AddIf(UpstreamUrlFormat.TryParse(resolved.Reveal(), url, allowLinkLocal, out _, out var problem), path, problem);
        }
    }

    private static void ValidateHeaders(OrderedDictionary<string, string>? headers, string path, ValidationContext context)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers?.Keys ?? Enumerable.Empty<string>())
        {
            var headerPath = $"{path}.{header}";
            if (!Token().IsMatch(header))
            {
                var suggestion = string.Join('-', header.Split(SeparatorCharacters, StringSplitOptions.RemoveEmptyEntries));
                context.Add(headerPath, $"{DisplayText.Quote(header)} is not a header name; use letters, digits and hyphens, e.g. {DisplayText.Quote(suggestion.Length > 0 ? suggestion : "X-Api-Key")}");
                continue;
            }

            if (GatewayHeaders.FirstOrDefault(reserved => reserved.Equals(header, StringComparison.OrdinalIgnoreCase)) is { } reservedName)
            {
                context.Add(headerPath, $"\"{reservedName}\" is set by the gateway on every request; remove it");
                continue;
            }

            if (!seen.TryAdd(header, header))
            {
                context.Add(headerPath, $"repeats \"{seen[header]}\" (header names ignore case); keep one");
                continue;
            }

            // Checked on the resolved value: a line break in a header value would let it inject headers.
            if (context.Resolved.TryGetValue(headerPath, out var value) && value.Reveal().AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                context.Add(headerPath, "the value contains a line break; a header value must be a single line (check the end of the referenced file or variable)");
            }
        }
    }

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex Token();
}
