using System.Buffers;
using System.Text.Json.Nodes;
using Proctor.Ledger.Canonical;
using Proctor.Masking;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Pipeline.Evidence;
using PipelineMaskingFailed = Proctor.Mcp.Pipeline.Evidence.MaskingFailedException;
using PipelineScope = Proctor.Mcp.Pipeline.Evidence.MaskingScope;

namespace Proctor.Evidence;

/// <summary>
/// The Mask stage's port onto the masking engine: storage audience when no groups are given, the caller's own otherwise.
/// Messages go through the engine's streaming path (docs/masking.md: same values and counts as the node path): the
/// message is written once as UTF-8, masked from those bytes (unchanged parts copied in bulk), and the masked bytes are
/// both what the ledger stores (<see cref="MaskedPayload.Utf8"/>) and what the delivered copy is read from, lazily.
/// The node path copied every node of the message and the ledger then serialized that copy again (issue 13 profile).
/// </summary>
internal sealed class EngineMasker(MaskingEngine engine) : IPayloadMasker
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_output;

    public bool RevealsAnythingTo(IReadOnlyList<string> groups) => engine.RevealsAnythingTo(groups);

    public JsonNode? AdjustOutputSchema(JsonNode schema, PipelineScope scope) =>
        engine.AdjustOutputSchema(schema, new Proctor.Masking.MaskingScope(scope.Server, scope.Tool));

    public MaskedPayload Mask(JsonObject message, PipelineScope scope, IReadOnlyList<string>? revealTo)
    {
        var output = ScratchBuffer.Reuse(ref t_output);
        try
        {
            var input = JsonScratch.Write(message, static (node, writer) => node.WriteTo(writer));
            var audience = revealTo is null ? MaskingAudience.Storage : MaskingAudience.Caller(revealTo);
            var report = engine.MaskUtf8Json(input, output, new Proctor.Masking.MaskingScope(scope.Server, scope.Tool), audience);
            return MaskedPayload.Written(output.WrittenSpan.ToArray(), report.Masked);
        }
        catch (Proctor.Masking.MaskingFailedException ex)
        {
            throw new PipelineMaskingFailed(ex.Message, ex);
        }
    }
}
