using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Media;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>Tools whose results exercise each content block type of a tools/call result.</summary>
[McpServerToolType]
internal static class ContentTools
{
    [McpServerTool(Name = "test_simple_text", ReadOnly = true)]
    [Description("Returns a single text content block.")]
    public static CallToolResult SimpleText() => new()
    {
        Content = [new TextContentBlock { Text = "This is a simple text response for testing." }],
    };

    [McpServerTool(Name = "test_image_content", ReadOnly = true)]
    [Description("Returns a 1x1 red PNG as image content.")]
    public static CallToolResult ImageContent() => new()
    {
        Content = [ImageContentBlock.FromBytes(TestMedia.RedPixelPng, TestMedia.PngMimeType)],
    };

    [McpServerTool(Name = "test_audio_content", ReadOnly = true)]
    [Description("Returns a short WAV tone as audio content.")]
    public static CallToolResult AudioContent() => new()
    {
        Content = [AudioContentBlock.FromBytes(TestMedia.ToneWav, TestMedia.WavMimeType)],
    };

    [McpServerTool(Name = "test_embedded_resource", ReadOnly = true)]
    [Description("Returns a text resource embedded in the result.")]
    public static CallToolResult EmbeddedResource() => new()
    {
        Content =
        [
            new EmbeddedResourceBlock
            {
                Resource = new TextResourceContents
                {
                    Uri = "test://embedded-resource",
                    MimeType = "text/plain",
                    Text = "This is an embedded resource content.",
                },
            },
        ],
    };

    [McpServerTool(Name = "test_multiple_content_types", ReadOnly = true)]
    [Description("Returns text, image and embedded resource content in one result.")]
    public static CallToolResult MultipleContentTypes() => new()
    {
        Content =
        [
            new TextContentBlock { Text = "Multiple content types test:" },
            ImageContentBlock.FromBytes(TestMedia.RedPixelPng, TestMedia.PngMimeType),
            new EmbeddedResourceBlock
            {
                Resource = new TextResourceContents
                {
                    Uri = "test://mixed-content-resource",
                    MimeType = "application/json",
                    Text = """{"test":"data","value":123}""",
                },
            },
        ],
    };

    // A tool execution failure is reported inside the result (isError), not as a JSON-RPC error,
    // so the model calling the tool can see what went wrong.
    [McpServerTool(Name = "test_error_handling", ReadOnly = true)]
    [Description("Always fails, reporting the failure as a tool result with isError set.")]
    public static CallToolResult ErrorHandling() => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = "This tool intentionally returns an error for testing" }],
    };
}
