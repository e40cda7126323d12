using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;

namespace Proctor.Samples.Conformance.Resources;

/// <summary>
/// Answers resources/read for a URI that matches no resource. SEP-2164 (2026-07-28) settles the
/// error on -32602 Invalid Params carrying the URI in <c>data</c>; earlier revisions used -32002.
/// It is never an empty <c>contents</c> array.
/// </summary>
internal static class MissingResource
{
    public static ValueTask<ReadResourceResult> ReadAsync(
        RequestContext<ReadResourceRequestParams> context, CancellationToken cancellationToken)
    {
        var uri = context.Params.Uri;
        var code = ProtocolEra.UsesPerRequestMetadata(context) ? McpErrorCode.InvalidParams : McpErrorCode.ResourceNotFound;
        var error = new McpProtocolException($"Resource not found: '{uri}'", code);
        error.Data["uri"] = uri;
        throw error;
    }
}
