using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Protocol;

/// <summary>
/// A server must not rely on a client capability the client did not declare; it answers with
/// MissingRequiredClientCapabilityError (-32021) naming the capability instead.
/// </summary>
internal static class ClientCapabilityGuard
{
    public static void RequireSampling(McpServer server)
    {
        if (server.ClientCapabilities?.Sampling is null)
        {
            throw Missing(new ClientCapabilities { Sampling = new() }, "sampling");
        }
    }

    public static void RequireElicitation(McpServer server)
    {
        if (server.ClientCapabilities?.Elicitation is null)
        {
            throw Missing(new ClientCapabilities { Elicitation = new() }, "elicitation");
        }
    }

    public static void RequireRoots(McpServer server)
    {
        if (server.ClientCapabilities?.Roots is null)
        {
            throw Missing(new ClientCapabilities { Roots = new() }, "roots");
        }
    }

    private static MissingRequiredClientCapabilityException Missing(ClientCapabilities required, string name) =>
        new(required, $"This request needs the client's '{name}' capability, which the client did not declare.");
}
