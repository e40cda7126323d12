using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Proctor.Samples.Conformance.Protocol;

/// <summary>
/// Reads the client's answers to an InputRequiredResult (SEP-2322). A missing key means the
/// client has not answered yet (the caller re-asks); an answer that does not have the shape of
/// the requested method's result is a protocol error.
/// </summary>
internal static class InputResponseReader
{
    public static bool TryRead<T>(
        IDictionary<string, InputResponse>? responses, string key, JsonTypeInfo<T> typeInfo, out T value)
        where T : class
    {
        value = null!;
        if (responses is null || !responses.TryGetValue(key, out var response))
        {
            return false;
        }

        try
        {
            value = response.Deserialize(typeInfo)
                ?? throw new JsonException("The answer is null.");
            return true;
        }
        catch (JsonException ex)
        {
            throw new McpProtocolException(
                $"inputResponses['{key}'] is not a valid {typeof(T).Name}: {ex.Message}", ex, McpErrorCode.InvalidParams);
        }
    }

    public static bool TryReadElicitation(IDictionary<string, InputResponse>? responses, string key, out ElicitResult value) =>
        TryRead(responses, key, InputResponse.ElicitResultJsonTypeInfo, out value);

    public static bool TryReadSampling(IDictionary<string, InputResponse>? responses, string key, out CreateMessageResult value) =>
        TryRead(responses, key, InputResponse.CreateMessageResultJsonTypeInfo, out value);

    public static bool TryReadRoots(IDictionary<string, InputResponse>? responses, string key, out ListRootsResult value) =>
        TryRead(responses, key, InputResponse.ListRootsResultJsonTypeInfo, out value);

    public static string? Field(ElicitResult answer, string name) =>
        answer.Content is { } content && content.TryGetValue(name, out var field) ? field.ToString() : null;

    public static string Text(CreateMessageResult answer) =>
        string.Join(" ", answer.Content.OfType<TextContentBlock>().Select(block => block.Text));
}
