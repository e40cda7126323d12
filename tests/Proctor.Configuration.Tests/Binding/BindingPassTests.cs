using System.Text.RegularExpressions;
using Proctor.Configuration.Binding;
using Proctor.Configuration.Models.Schema;
using Proctor.Configuration.Options;
using Proctor.Configuration.Secrets;
using YamlDotNet.RepresentationModel;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Binding;

/// <summary>The one binding pass: lines on errors, file order, sections left to their owner, secrets never quoted, every key documented.</summary>
public sealed partial class BindingPassTests
{
    private const string Secret = "pl41ntext-s3cret";

    [Fact]
    public void Load_Errors_CarryTheLineOfTheirKeyInFileOrder()
    {
        var result = Load("""
            gateway:
              requestTimeout: "30"
            upstreams:
              crm:
                url: "ftp://crm.example.com"
            logging: { level: Info }
            """, Environment(("PROCTOR__UPSTREAMS__NEW__TIMEOUT", "5s")));

        Assert.Equal(
            [("gateway.requestTimeout", 2), ("upstreams.crm.url", 5), ("logging.level", 6), ("upstreams.new", (int?)null)],
            result.Errors.Select(error => (error.Key, error.Line)));
    }

    [Fact]
    public void Load_RequiredKeyMissing_TakesTheLineOfItsSection()
    {
        var error = Assert.Single(Load("gateway: {}\nidentity:\n  issuers: [\"https://login.example.com\"]\n").Errors);

        Assert.Equal(("identity.resource", (int?)2), (error.Key, error.Line));
    }

    [Fact]
    public void Bind_NodeSection_IsKeptForItsOwnReader()
    {
        var root = Parse("policy:\n  rules:\n    - { allow: \"bank__*\" }\nlevel: Debug\n");
        var context = new BindingContext("test.yaml", new CompositeSecretResolver());

        var options = new OptionsBinder(context).Bind<WithDelegatedSection>(root, "a mapping");

        Assert.Empty(context.Errors);
        var policy = Assert.IsType<YamlMappingNode>(options.Policy);
        Assert.Equal(2, (int)policy.Start.Line);
        Assert.Equal("Debug", options.Level);
    }

    public static TheoryData<string> WrongShapes => new()
    {
        "[\"" + Secret + "\"]",
        "{ a: \"" + Secret + "\" }",
        "\"" + Secret + "\"",
    };

    /// <summary>Every key whose value may be a credential, in every wrong shape: the value is never in a message.</summary>
    [Theory]
    [MemberData(nameof(WrongShapes))]
    public void Load_CredentialKeysInTheWrongShape_NeverQuoteTheValue(string value)
    {
        var credentialKeys = new[]
        {
            ("tool", "command: npx, env: {0}"),
            ("tool", "command: npx, env: { API_TOKEN: {0} }"),
            ("crm", "url: \"https://crm.example.com\", headers: {0}"),
            ("crm", "url: \"https://crm.example.com\", headers: { Authorization: {0} }"),
            ("crm", "url: \"https://crm.example.com\", oauth: { tokenUrl: \"https://l.example.com/t\", clientId: p, clientSecret: {0} }"),
        };
        var refused = 0;
        foreach (var (name, settings) in credentialKeys)
        {
            var errors = Load($"upstreams: {{ {name}: {{ {settings.Replace("{0}", value, StringComparison.Ordinal)} }} }}").Errors;

            refused += errors.Count;
            Assert.DoesNotContain(errors, error => error.ToString().Contains(Secret, StringComparison.Ordinal));
        }

        Assert.True(refused >= 3, "most of these shapes are wrong for their key, so most are refused");
    }

    [Fact]
    public void Load_OrdinaryKeyInTheWrongShape_QuotesTheValue()
    {
        // The hard negative beside the generator above: quoting is what helps everywhere else.
        Assert.Contains(Secret, Assert.Single(Errors($"upstreams: {{ crm: {{ url: \"https://crm.example.com\", era: \"{Secret}\" }} }}")), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryKey_IsDocumentedInConfigurationMd()
    {
        var document = File.ReadAllText(ConfigurationDocumentTests.FindDocument());
        // A key is documented in a table row or heading (`restart.initialBackoff` documents both), or in an
        // entry's shape (`{ name, pattern }`).
        var documented = DocumentedKey().Matches(document).SelectMany(match => match.Groups["key"].Value.Split('.'))
            .Concat(EntryShape().Matches(document).SelectMany(match => match.Groups["keys"].Value.Split(", ")))
            .ToHashSet(StringComparer.Ordinal);
        var keys = Reachable(ObjectSchema.Of<ProctorOptions>()).SelectMany(schema => schema.Keys).Distinct().ToList();

        Assert.True(keys.Count > 60, $"only {keys.Count} keys found; the schema walk is broken");
        Assert.Equal([], [.. keys.Where(key => !documented.Contains(key))]);
    }

    private static IEnumerable<ObjectSchema> Reachable(ObjectSchema schema, HashSet<ObjectSchema>? seen = null)
    {
        seen ??= [];
        if (!seen.Add(schema))
        {
            yield break;
        }

        yield return schema;
        foreach (var member in schema.Members)
        {
            for (var shape = member.Shape; shape is not null; shape = shape.Item)
            {
                foreach (var nested in shape.Object is { } inner ? Reachable(inner, seen) : [])
                {
                    yield return nested;
                }
            }
        }
    }

    private static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"^(\| |#+ )`(?<key>[A-Za-z.]+)`", RegexOptions.Multiline)]
    private static partial Regex DocumentedKey();

    [GeneratedRegex(@"`\{ (?<keys>[A-Za-z]+(, [A-Za-z]+)*) \}`")]
    private static partial Regex EntryShape();

    private sealed class WithDelegatedSection
    {
        [Setting("a policy", "{ rules: [] }")]
        public YamlNode? Policy { get; set; }

        [Setting("a log level", "Information")]
        public string Level { get; set; } = "Information";
    }
}
