using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Resources;

[McpServerResourceType]
internal static class TemplateResources
{
    public const string DataTemplate = "test://template/{id}/data";

    [McpServerResource(UriTemplate = DataTemplate, Name = "template-data", MimeType = "application/json")]
    [Description("A JSON document generated for the id substituted into the URI template.")]
    public static TextResourceContents TemplateData([Description("Any identifier")] string id) => new()
    {
        Uri = $"test://template/{id}/data",
        MimeType = "application/json",
        Text = JsonSerializer.Serialize(new { id, templateTest = true, data = $"Data for ID: {id}" }),
    };
}
