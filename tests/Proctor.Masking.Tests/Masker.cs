using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.Masking.Policy;

namespace Proctor.Masking.Tests;

/// <summary>Engines for tests: a fixed key, redaction everywhere unless a test's policy says otherwise.</summary>
internal static class Masker
{
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static MaskingEngine Redacting { get; } = Engine(RedactAll());

    public static MaskingEngine Defaults { get; } = Engine(new MaskingPolicy());

    public static MaskingEngine Engine(MaskingPolicy policy, TimeProvider? time = null) => MaskingEngine.Create(policy, Key, time);

    public static MaskingPolicy RedactAll(params MaskingRule[] extra) => new()
    {
        Rules = Proctor.Masking.Detection.EntityTypes.BuiltIn.Select(e => new MaskingRule { Entity = e }).Concat(extra).ToArray(),
    };

    /// <summary>The text with every detected value replaced by its label, e.g. <c>[SSN]</c>.</summary>
    public static string Redact(string text) => Redacting.MaskText(text, MaskingScope.Gateway, MaskingAudience.Storage).Text;

    /// <summary>Masks <paramref name="json"/> for storage on the streaming path (<see cref="Redacting"/> unless an engine is given).</summary>
    public static (string Json, MaskingReport Report) MaskStream(string json, MaskingEngine? engine = null)
    {
        var output = new ArrayBufferWriter<byte>();
        var report = (engine ?? Redacting).MaskUtf8Json(Encoding.UTF8.GetBytes(json), output, MaskingScope.Gateway, MaskingAudience.Storage);
        return (Encoding.UTF8.GetString(output.WrittenSpan), report);
    }

    /// <summary>Masks <paramref name="json"/> for storage on the node path (<see cref="Redacting"/> unless an engine is given).</summary>
    public static MaskedJson MaskNode(string json, MaskingEngine? engine = null) =>
        (engine ?? Redacting).MaskJson(JsonNode.Parse(json), MaskingScope.Gateway, MaskingAudience.Storage);
}
