using System.Buffers.Text;
using System.Text;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Tests.Routing;

public sealed class GatewayCursorTests
{
    [Fact]
    public void EncodeThenDecode_SeveralUpstreams_RoundTripsInOrder()
    {
        (string, string)[] remaining = [("bank", "page-2"), ("crm", "eyJvZmZzZXQiOjUwfQ=="), ("docs", "")];

        Assert.True(GatewayCursor.TryDecode(GatewayCursor.Encode(remaining), out var decoded));
        Assert.Equal(remaining, decoded);
    }

    [Fact]
    public void EncodeThenDecode_NonAsciiAndQuotes_RoundTrips()
    {
        (string, string)[] remaining = [("wiki", "seite \"2\" ü/?&=")];

        Assert.True(GatewayCursor.TryDecode(GatewayCursor.Encode(remaining), out var decoded));
        Assert.Equal(remaining, decoded);
    }

    [Fact]
    public void Encode_AnyCursor_IsUrlSafeOpaqueText()
    {
        var cursor = GatewayCursor.Encode([("bank", "+/+/???>>>")]);

        Assert.DoesNotContain(cursor, c => c is '+' or '/' or '=' or '"');
        Assert.DoesNotContain("bank", cursor, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!not-base64!!!")]
    [InlineData("bank:page-2")]
    public void TryDecode_NotOurEncoding_Fails(string cursor)
    {
        Assert.False(GatewayCursor.TryDecode(cursor, out _));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"bank\":\"page-2\"}")]
    [InlineData("[\"bank\",\"page-2\"]")]
    [InlineData("[[\"bank\"]]")]
    [InlineData("[[\"bank\",\"page-2\",\"extra\"]]")]
    [InlineData("[[\"bank\",2]]")]
    [InlineData("[[1,\"page-2\"]]")]
    [InlineData("[[\"bank\",null]]")]
    [InlineData("[[\"bank\",{}]]")]
    [InlineData("[[\"bank\",\"page-2\"],7]")]
    public void TryDecode_WellEncodedButWrongShape_Fails(string json)
    {
        Assert.False(GatewayCursor.TryDecode(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json)), out _));
    }
}
