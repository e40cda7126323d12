using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tests.Protocol;

/// <summary>
/// The 2026-07-28 "Value Encoding" rules for mirrored headers (SEP-2243): plain printable ASCII goes as it
/// is; leading or trailing whitespace, non-ASCII, control characters, and values that look like the
/// sentinel are sent as <c>=?base64?{base64 of UTF-8}?=</c>. Expected values are the spec's own examples.
/// </summary>
public sealed class HeaderValuesTests
{
    [Theory]
    [InlineData("us-west1")]
    [InlineData("us west 1")]
    [InlineData("tools/call")]
    [InlineData("my_tool_name")]
    [InlineData("my-tool-name")]
    [InlineData("file:///path/to/file%20name.txt")]
    [InlineData("https://example.com/resource?id=123")]
    public void Encode_PlainAscii_IsSentAsIs(string value)
    {
        Assert.Equal(value, HeaderValues.Encode(value));
    }

    [Theory]
    [InlineData("Hello, 世界", "=?base64?SGVsbG8sIOS4lueVjA==?=")]
    [InlineData(" padded ", "=?base64?IHBhZGRlZCA=?=")]
    [InlineData(" us-west1", "=?base64?IHVzLXdlc3Qx?=")]
    [InlineData("us-west1 ", "=?base64?dXMtd2VzdDEg?=")]
    [InlineData(" us-west1 ", "=?base64?IHVzLXdlc3QxIA==?=")]
    [InlineData("line1\nline2", "=?base64?bGluZTEKbGluZTI=?=")]
    [InlineData("=?base64?literal?=", "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=")]
    [InlineData("\tus-west1", "=?base64?CXVzLXdlc3Qx?=")]
    [InlineData("us-west1\t", "=?base64?dXMtd2VzdDEJ?=")]
    [InlineData("a\rb", "=?base64?YQ1i?=")]
    [InlineData("del\u007f", "=?base64?ZGVsfw==?=")]
    public void Encode_UnsafeValue_IsBase64Sentinel(string value, string expected)
    {
        Assert.Equal(expected, HeaderValues.Encode(value));
    }

    [Theory]
    [InlineData("us-west1", "us-west1")]
    [InlineData("=?base64?SGVsbG8sIOS4lueVjA==?=", "Hello, 世界")]
    [InlineData("=?base64?IHBhZGRlZCA=?=", " padded ")]
    [InlineData("=?base64?bGluZTEKbGluZTI=?=", "line1\nline2")]
    [InlineData("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=", "=?base64?literal?=")]
    [InlineData("=?base64?c2VhcmNo?=", "search")]
    [InlineData("=?base64?no-suffix", "=?base64?no-suffix")]
    [InlineData("", "")]
    public void Decode_HeaderValue_YieldsTheBodyValue(string header, string expected)
    {
        Assert.Equal(expected, HeaderValues.Decode(header));
    }

    [Theory]
    [InlineData("=?base64?%%%?=")]
    [InlineData("=?base64?abc?=")]
    public void Decode_SentinelWithInvalidBase64_IsNull(string header)
    {
        Assert.Null(HeaderValues.Decode(header));
    }

    [Fact]
    public void Decode_NoHeader_IsNull()
    {
        Assert.Null(HeaderValues.Decode(null));
    }

    [Theory]
    [InlineData("us-west1")]
    [InlineData("Hello, 世界")]
    [InlineData(" padded ")]
    [InlineData("line1\nline2")]
    [InlineData("=?base64?literal?=")]
    [InlineData("=?base64?SGVsbG8=?=")]
    [InlineData("récupérer_compte")]
    [InlineData("\t")]
    [InlineData("emoji 🦀")]
    public void EncodeThenDecode_AnyValue_RoundTrips(string value)
    {
        Assert.Equal(value, HeaderValues.Decode(HeaderValues.Encode(value)));
    }
}
