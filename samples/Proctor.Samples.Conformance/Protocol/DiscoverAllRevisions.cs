using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace Proctor.Samples.Conformance.Protocol;

/// <summary>
/// Makes <c>server/discover</c> list every revision this endpoint serves, the initialize-era ones
/// included. The SDK lists only the per-request revisions there, while its HTTP layer answers an
/// unknown MCP-Protocol-Version with an UnsupportedProtocolVersionError whose <c>supported</c>
/// list holds all of them (as the 2026-07-28 versioning page's own example does). Both fields are
/// defined as "the versions the server supports", so they must agree; a client that picks an
/// initialize-era version from either list reaches this endpoint through initialize.
/// </summary>
internal static class DiscoverAllRevisions
{
    private const string DiscoverRequestMarker = "proctor.conformance.discover";

    public static void AddDiscoverAllRevisions(this IMcpMessageFilterBuilder filters)
    {
        filters.AddIncomingFilter(next => (context, cancellationToken) =>
        {
            if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ServerDiscover })
            {
                // The response to a request shares the request's context, and with it these items.
                context.Items[DiscoverRequestMarker] = true;
            }

            return next(context, cancellationToken);
        });

        filters.AddOutgoingFilter(next => (context, cancellationToken) =>
        {
            if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result }
                && context.JsonRpcMessage.Context?.Items?.ContainsKey(DiscoverRequestMarker) == true
                && result["supportedVersions"] is JsonArray versions)
            {
                var listed = versions.Select(version => (string?)version).ToHashSet();
                foreach (var revision in ProtocolEra.InitializeRevisions.Where(revision => !listed.Contains(revision)))
                {
                    versions.Add(revision);
                }
            }

            return next(context, cancellationToken);
        });
    }
}
