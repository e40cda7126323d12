using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Evidence.Reports;

/// <summary>
/// How the report files are written: indented snake_case JSON. The default encoder escapes &lt;, &gt;, &amp; and quotes,
/// so a hostile identity or tool name stays inert even in a viewer that renders JSON as HTML.
/// </summary>
internal static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
    };

    public static Task WriteAsync<T>(Stream stream, T value, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, value, Options, cancellationToken);

    public static Task WriteAsync(Stream stream, JsonNode node, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, node, Options, cancellationToken);
}
