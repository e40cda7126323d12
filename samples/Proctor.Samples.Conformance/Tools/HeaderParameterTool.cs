using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>
/// A tool with a parameter mirrored into an HTTP header (SEP-2243): 2026-07-28 clients send
/// <c>Mcp-Param-Region</c> alongside the JSON body, so proxies can route without reading the body,
/// and the server rejects a request whose header is missing, malformed or disagrees with the body.
/// </summary>
[McpServerToolType]
internal static class HeaderParameterTool
{
    [McpServerTool(Name = "test_header_parameter", ReadOnly = true)]
    [Description("Echoes the region it was called for; clients also send the region in the Mcp-Param-Region header.")]
    public static string HeaderParameter(
        [McpHeader("Region")][Description("Region the call is routed to")] string region) =>
        $"Routed to region '{region}'.";
}
