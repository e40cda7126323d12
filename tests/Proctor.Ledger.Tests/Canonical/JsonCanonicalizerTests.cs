using System.Buffers;
using System.Text;
using Proctor.Ledger.Canonical;

namespace Proctor.Ledger.Tests.Canonical;

public class JsonCanonicalizerTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Canonicalize_Rfc8785Section322Example_MatchesTheRfc()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        Assert.Equal("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}", Canonical(input));
    }

    [Fact]
    public void Canonicalize_Rfc8785Section323Example_SortsByUtf16CodeUnits()
    {
        const string input = """{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}""";
        var keys = System.Text.Json.JsonDocument.Parse(Canonical(input)).RootElement.EnumerateObject().Select(p => p.Value.GetString()!).ToArray();
        Assert.Equal(["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"], keys);
    }

    [Theory] // RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript spelling
    [InlineData(0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, "0")]
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x8000000000000001UL, "-5e-324")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0x4340000000000000UL, "9007199254740992")]
    [InlineData(0xc340000000000000UL, "-9007199254740992")]
    [InlineData(0x4430000000000000UL, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5UL, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x44b52d02c7e14af7UL, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eUL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef50UL, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cUL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dUL, "0.000001")]
    [InlineData(0x41b3de4355555553UL, "333333333.3333332")]
    [InlineData(0x41b3de4355555556UL, "333333333.3333334")]
    [InlineData(0xbecbf647612f3696UL, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959UL, "1424953923781206.2")]
    public void Format_Rfc8785AppendixBValues_SpellLikeEcmaScript(ulong bits, string expected) =>
        Assert.Equal(expected, EcmaScriptNumber.Format(BitConverter.UInt64BitsToDouble(bits)));

    [Fact]
    public void Canonicalize_DuplicateNames_Throws() =>
        Assert.Throws<FormatException>(() => Canonical("""{"a":1,"a":2}"""));

    [Fact]
    public void Canonicalize_NestedWhitespaceAndOrder_IsRemovedAndSorted() =>
        Assert.Equal("{\"a\":[1,{\"x\":true,\"y\":null}],\"b\":\"é\u2028\"}", Canonical("{ \"b\" : \"\\u00e9\u2028\", \"a\" : [ 1.0 , { \"y\":null, \"x\":true } ] }"));

    // The fast paths copy the parsed text's own bytes; these inputs pin them to the decoding path's output.
    [Fact]
    public void Canonicalize_NumbersCopiedOrReformatted_SpellLikeEcmaScript() =>
        Assert.Equal(
            "[1.5,1e-7,0.000001,0.000001,0,0,0,100,123456789012345680,1234567890123456,123456789012345,0.1,-12.25,100.125,0.30000000000000004,1e-7,5e-324,9007199254740992,0.1234567890123456,1.000000000000001]",
            Canonical("[1.50, 0.0000001, 0.000001, 0.0000010, -0, 0, -0.0, 1E2, 123456789012345678, 1234567890123456, 123456789012345, 0.1, -12.25, 100.125, 0.30000000000000004, 1e-7, 5E-324, 9007199254740993, 0.1234567890123456, 1.000000000000001]"));

    [Fact]
    public void Canonicalize_RawAndEscapedStrings_KeepOnlyRequiredEscapes() =>
        Assert.Equal(
            "{\"A1\":{},\"B\":null,\"_\":[],\"a\":\"tab\\there é / \\\"q\\\"\",\"a0\":true,\"b\":\"<a href='x'>&amp; +1 ü € 😀\",\"é\":1}",
            Canonical("{\"b\":\"<a href='x'>&amp; +1 ü € 😀\",\"a\":\"tab\\there \\u00e9 \\/ \\\"q\\\"\",\"B\":null,\"é\":1,\"_\":[],\"A1\":{},\"a0\":true}"));

    [Fact]
    public void Canonicalize_EscapedAndRawNonAsciiNames_SortByUtf16() =>
        Assert.Equal(
            "{\"e\u0301\":2,\"z\":{\"x\":\"\u2028\u2029\",\"y\":[{\"j\":\"w\",\"k\":\"v\"}]},\"é\":\"raw é and 😀\"}",
            Canonical("""{"z":{"y":[{"k":"v","j":"w"}],"x":"\u2028\u2029"},"é":"raw é and 😀","e\u0301":2}"""));

    [Fact]
    public void Canonicalize_DuplicateNameSpelledWithAnEscape_Throws() =>
        Assert.Throws<FormatException>(() => Canonical("""{"a":1,"\u0061":2}"""));

    [Fact]
    public void Canonicalize_InvalidUtf8InAString_IsNotCopied() =>
        Assert.ThrowsAny<Exception>(() => JsonCanonicalizer.Canonicalize([(byte)'"', 0xFF, (byte)'"']));
    [Fact]
    public void WriteString_EveryUtf16CodeUnitAtEveryOffsetOfAVector_MatchesRfc8785()
    {
        // Each code unit at offsets 0–40 of a 41-unit string, so the vectorised search meets it in every lane.
        for (var c = 0; c <= 0xFFFF; c++)
        {
            foreach (var offset in c < 0x80 ? Enumerable.Range(0, 41) : [0, 17, 40])
            {
                var text = new string('a', offset) + (char)c + new string('z', 40 - offset);
                if (char.IsSurrogate((char)c))
                {
                    Assert.Throws<FormatException>(() => JsonCanonicalizer.WriteString(text, new ArrayBufferWriter<byte>()));
                    continue;
                }
                var output = new ArrayBufferWriter<byte>();
                JsonCanonicalizer.WriteString(text, output);
                Assert.Equal(Rfc8785String(text), Encoding.UTF8.GetString(output.WrittenSpan));
            }
        }
    }

    [Fact]
    public void WriteString_SurrogatePairs_AreWrittenAsTheirUtf8()
    {
        foreach (var text in new[] { "\ud83d\ude00", "x\ud800\udc00y", new string('a', 33) + "\udbff\udfff" })
        {
            var output = new ArrayBufferWriter<byte>();
            JsonCanonicalizer.WriteString(text, output);
            Assert.Equal("\"" + text + "\"", Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }

    // RFC 8785 §3.2.2.2, written as literally as possible: the quote, the backslash and control characters escaped
    // (the five short forms, else \u00xx in lower case), everything else as it is.
    private static string Rfc8785String(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }
}
