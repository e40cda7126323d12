using Proctor.Masking.Detection;
using Proctor.Masking.Policy;
using Proctor.Masking.Tests.Corpus;

namespace Proctor.Masking.Tests.Json;

/// <summary>
/// The streaming path skips strings whose raw bytes hold no detector trigger, reuses field-name
/// contexts and copies unchanged input in bulk. These cases must still be masked exactly.
/// </summary>
public class StreamingFastPathTests
{
    private static string MaskValue(string rawJsonString, MaskingEngine? engine = null) =>
        Masker.MaskStream($$"""{"note":"{{rawJsonString}}"}""", engine).Json;

    [Theory]
    [InlineData("mail jane.doe@example.com now", "mail [EMAIL] now")]
    [InlineData("card 4111-1111-1111-1111 ok", "card [CARD] ok")]
    [InlineData("key AKIAABCDEFGHIJKLMNOP", "key [AWS_ACCESS_KEY]")]
    [InlineData("Basic dXNlcjpwYXNz", "Basic [AUTH_HEADER]")]
    [InlineData("basic dXNlcjpwYXNz", "basic [AUTH_HEADER]")]
    [InlineData("BASIC dXNlcjpwYXNz", "BASIC [AUTH_HEADER]")]
    [InlineData("-----BEGIN PRIVATE KEY----- MIIEvQIBADANBg", "[PRIVATE_KEY]")]
    public void TriggerWithoutDigits_IsStillScanned(string value, string expected) =>
        Assert.Equal($$"""{"note":"{{expected}}"}""", MaskValue(value));

    /// <summary>Messages of every shape a tracker's levels see (on both paths): flat, deep, JSON inside strings (a tracker inside a tracker), arrays passing their field on.</summary>
    private static readonly string[] Shapes =
    [
        """{"ssn":"123456789"}""",
        string.Concat(Enumerable.Repeat("""{"a":""", 40)) + "\"4111-1111-1111-1111\"" + new string('}', 40),
        """{"content":[{"type":"text","text":"{\"ssn\":\"123456789\",\"inner\":\"{\\\"accountNumber\\\":\\\"12345678901\\\"}\"}"}]}""",
        """{"ssns":["123456789","987654320"],"cards":[[ "4111 1111 1111 1111" ]],"note":"none"}""",
        """{"ssn":"[123456789]","deep":[[[[[[{"accountNumber":"12345678901"}]]]]]]}""",
        """{"jsonrpc":"2.0","id":"jane.doe@example.com","result":{"ssn":"123456789","id":"jane.doe@example.com"}}""",
    ];

    [Fact]
    public void Trackers_ReusedAcrossMessagesOnOneThread_MaskEachAsIfAlone()
    {
        // Each shape masked alone, on a thread of its own, is what every later masking of it must give.
        var alone = Shapes.Select(shape => OnFreshThread(() => Masker.MaskStream(shape).Json)).ToArray();
        var aloneOnNodes = Shapes.Select(shape => OnFreshThread(() => Masker.MaskNode(shape).Node?.ToJsonString())).ToArray();
        var order = Enumerable.Range(0, 10 * Shapes.Length).Select(i => i % Shapes.Length).ToArray();
        new Random(13).Shuffle(order);

        foreach (var i in order)
        {
            Assert.Equal(alone[i], Masker.MaskStream(Shapes[i]).Json);
            Assert.Equal(aloneOnNodes[i], Masker.MaskNode(Shapes[i]).Node?.ToJsonString());
            // A masking that fails half-way (cut-off input) gives its levels back too; the next one starts clean.
            Assert.ThrowsAny<Exception>(() => Masker.MaskStream(Shapes[i][..(Shapes[i].Length / 2)]));
        }
    }

    private static T OnFreshThread<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work());
        thread.Start();
        thread.Join();
        return result;
    }

    [Fact]
    public void JwtWithoutDigits_IsStillScanned()
    {
        var jwt = Credentials.Jwt("{\"alg\":\"none\"}", "{\"sub\":\"abc\"}", "abcDEFghi");
        Assert.Equal("""{"note":"token [JWT]"}""", MaskValue("token " + jwt));
    }

    [Theory]
    [InlineData(@"SSN \u0031\u0032\u0033-45-6789", "SSN [SSN]")]
    [InlineData(@"Basic\u0020dXNlcjpwYXNz", "Basic [AUTH_HEADER]")]
    [InlineData(@"\u0041KIAABCDEFGHIJKLMNOP", "[AWS_ACCESS_KEY]")]
    [InlineData(@"jane\u0040example.com", "[EMAIL]")]
    public void EscapedValues_AreDecodedBeforeScanning(string escaped, string expected) =>
        Assert.Equal($$"""{"note":"{{expected}}"}""", MaskValue(escaped));

    [Fact]
    public void EscapedFieldName_GivesContext() =>
        Assert.Equal("""{"s\u0073n":"[SSN]"}""", Masker.MaskStream("""{"s\u0073n":"123456789"}""").Json);

    [Fact]
    public void DenyListTerm_AndCustomPattern_WithoutTriggers_AreFound()
    {
        var engine = Masker.Engine(new MaskingPolicy
        {
            DenyLists = [new DenyList("project", ["Falcon"])],
            CustomPatterns = [new CustomPattern("codename", "Operation [A-Z][a-z]+")],
        });
        var (json, report) = Masker.MaskStream("""{"a":"the Falcon launch","b":"Operation Nightingale"}""", engine);
        Assert.Equal("""{"a":"the [PROJECT] launch","b":"[CODENAME]"}""", json);
        Assert.Equal(1, report.Masked["project"]);
        Assert.Equal(1, report.Masked["codename"]);
    }

    [Fact]
    public void FieldRule_MasksValuesWithoutTriggers()
    {
        var engine = Masker.Engine(Masker.RedactAll(new MaskingRule { Field = "nickname" }));
        Assert.Equal("""{"nickname":"[FIELD]","other":"Bob"}""", Masker.MaskStream("""{"nickname":"Bob","other":"Bob"}""", engine).Json);
    }

    [Fact]
    public void RepeatedFieldNames_KeepTheirOwnContext()
    {
        const string json = """
            {"jsonrpc":"2.0","id":"123-45-6789","result":{"id":"123-45-6789","items":[
              {"ssn":"123456789","note":"123456789"},{"ssn":"123456789","note":"123456789"}]}}
            """;
        var masked = Masker.MaskStream(json).Json;
        Assert.Equal(json.Replace("""{"id":"123-45-6789""", """{"id":"[SSN]""").Replace("""{"ssn":"123456789""", """{"ssn":"[SSN]"""), masked);
    }

    [Fact]
    public void PathRules_ApplyOnlyUnderTheirParent()
    {
        var engine = Masker.Engine(Masker.RedactAll(new MaskingRule { Path = "customer.nickname" }));
        const string json = """{"customer":{"nickname":"Bob"},"pet":{"nickname":"Bob"},"customer2":{"nickname":"Bob"}}""";
        Assert.Equal(json.Replace("""{"customer":{"nickname":"Bob"}""", """{"customer":{"nickname":"[FIELD]"}"""), Masker.MaskStream(json, engine).Json);
    }

    [Fact]
    public void Whitespace_AndUnchangedTokens_AreKept_MaskedNumbersBecomeStrings()
    {
        const string json = "{\n  \"ssn\" : \"123-45-6789\",\n  \"count\": 12345678901,\n  \"accountNumber\":\t12345678901 ,\n  \"ok\": [true, null, 2.5e3]\n}\n";
        var expected = json.Replace("\"123-45-6789\"", "\"[SSN]\"").Replace("\t12345678901", "\t\"[BANK_ACCOUNT]\"");
        Assert.Equal(expected, Masker.MaskStream(json).Json);
    }

    [Fact]
    public void EveryCredentialPrefix_HoldsAPrefixLetter() =>
        Assert.All(SecretDetector.PrefixList, prefix => Assert.True(prefix.AsSpan().ContainsAny(SecretDetector.PrefixLetters), prefix));
}
