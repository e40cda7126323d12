using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Media;

namespace Proctor.Samples.Conformance.Resources;

[McpServerResourceType]
internal static class StaticResources
{
    public const string TextUri = "test://static-text";
    public const string BinaryUri = "test://static-binary";

    [McpServerResource(UriTemplate = TextUri, Name = "static-text", MimeType = "text/plain")]
    [Description("A text resource whose content never changes.")]
    public static TextResourceContents StaticText() => new()
    {
        Uri = TextUri,
        MimeType = "text/plain",
        Text = "This is the content of the static text resource.",
    };

    [McpServerResource(UriTemplate = BinaryUri, Name = "static-binary", MimeType = TestMedia.PngMimeType)]
    [Description("A binary resource (a 1x1 PNG) whose content never changes.")]
    public static BlobResourceContents StaticBinary() =>
        BlobResourceContents.FromBytes(TestMedia.RedPixelPng, BinaryUri, TestMedia.PngMimeType);
}
