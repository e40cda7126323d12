using System.Text.Json.Nodes;
using Proctor.Masking;
using Proctor.Mcp.Pipeline.Evidence;
using PipelineScope = Proctor.Mcp.Pipeline.Evidence.MaskingScope;
using PipelineMaskingFailed = Proctor.Mcp.Pipeline.Evidence.MaskingFailedException;

namespace Proctor.Evidence;

/// <summary>The Mask stage's port onto the masking engine: storage audience when no groups are given, the caller's own otherwise.</summary>
internal sealed class EngineMasker(MaskingEngine engine) : IPayloadMasker
{
    public bool RevealsAnythingTo(IReadOnlyList<string> groups) => engine.RevealsAnythingTo(MaskingAudience.Caller(groups));

    public JsonNode? AdjustOutputSchema(JsonNode schema, PipelineScope scope) =>
        engine.AdjustOutputSchema(schema, new Proctor.Masking.MaskingScope(scope.Server, scope.Tool));

    public MaskedPayload Mask(JsonObject message, PipelineScope scope, IReadOnlyList<string>? revealTo)
    {
        try
        {
            var audience = revealTo is null ? MaskingAudience.Storage : MaskingAudience.Caller(revealTo);
            var masked = engine.MaskJson(message, new Proctor.Masking.MaskingScope(scope.Server, scope.Tool), audience);
            return new MaskedPayload(masked.Node!.AsObject(), masked.Report.Masked);
        }
        catch (Proctor.Masking.MaskingFailedException ex)
        {
            throw new PipelineMaskingFailed(ex.Message, ex);
        }
    }
}
