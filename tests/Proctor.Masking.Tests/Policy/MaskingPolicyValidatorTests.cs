using Proctor.Masking.Policy;

namespace Proctor.Masking.Tests.Policy;

public class MaskingPolicyValidatorTests
{
    public static TheoryData<MaskingPolicy, string> Rejected => new()
    {
        { new MaskingPolicy { Rules = [new MaskingRule { Entity = "sssn" }] }, "rules[0].entity: \"sssn\" is not a known entity type; use one of " },
        { new MaskingPolicy { Rules = [new MaskingRule { Entity = "ssn", Field = "ssn" }] }, "rules[0]: set exactly one of entity, field or path (found 2)" },
        { new MaskingPolicy { Rules = [new MaskingRule { Entity = "ssn", Strategy = MaskingStrategy.Partial, KeepLast = 12 }] }, "rules[0].keepLast: 12 is out of range; use 1 to 8 (4 is usual)" },
        { new MaskingPolicy { CustomPatterns = [new CustomPattern("cust", "CUST-(")] }, "customPatterns[0].pattern: \"CUST-(\" is not a valid regular expression (" },
        { new MaskingPolicy { CustomPatterns = [new CustomPattern("ssn", "x")] }, "customPatterns[0].name: \"ssn\" is already an entity type; choose another name" },
        { new MaskingPolicy { DenyLists = [new DenyList("Projects", ["falcon"])] }, "denyLists[0].name: \"Projects\" must be lowercase letters, digits and _; e.g. \"customer_id\"" },
        { new MaskingPolicy { Overrides = [new ScopeOverride("", null, [new MaskingRule { Entity = "card", RevealTo = [" "] }])] }, "overrides[0].server: is empty; name an upstream server, e.g. \"bank\"" },
        { new MaskingPolicy { Overrides = [new ScopeOverride("bank", null, [new MaskingRule { Entity = "card", RevealTo = [" "] }])] }, "overrides[0].rules[0].revealTo[0]: is empty; name a group, e.g. \"fraud-investigators\"" },
        { new MaskingPolicy { TimeBudget = TimeSpan.Zero }, "timeBudget: 00:00:00 is not positive; use e.g. \"1s\"" },
        { new MaskingPolicy { Rules = [new MaskingRule { Entity = "gateway_secret", Strategy = MaskingStrategy.None }] }, "rules[0].entity: gateway_secret (the gateway's own credentials) is always redacted; remove this rule" },
        { new MaskingPolicy { DenyLists = [new DenyList("gateway_secret", ["x"])] }, "denyLists[0].name: \"gateway_secret\" is already an entity type; choose another name" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Validate_Rejects_WithMessageNamingTheKey(MaskingPolicy policy, string messageStart) =>
        Assert.Contains(MaskingPolicyValidator.Validate(policy), e => e.StartsWith(messageStart, StringComparison.Ordinal));

    [Fact]
    public void Validate_CustomNamesBecomeEntityTypes() =>
        Assert.Empty(MaskingPolicyValidator.Validate(new MaskingPolicy
        {
            CustomPatterns = [new CustomPattern("customer_id", "CUST-[0-9]{8}")],
            Rules = [new MaskingRule { Entity = "customer_id", Strategy = MaskingStrategy.Token }],
        }));

    [Fact]
    public void Create_CollectsEveryError()
    {
        var e = Assert.Throws<MaskingPolicyException>(() => MaskingEngine.Create(
            new MaskingPolicy { Rules = [new MaskingRule { Entity = "x" }, new MaskingRule()] }, new byte[8]));
        Assert.Equal(3, e.Errors.Count);
        Assert.Contains(e.Errors, m => m.StartsWith("tokenKey: 8 bytes is too short", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_NameTheKeyApartFromTheMessage()
    {
        var problem = Assert.Single(MaskingPolicyValidator.Problems(new MaskingPolicy { Overrides = [new ScopeOverride("bank", "lookup", [new MaskingRule { Entity = "ssn", Strategy = MaskingStrategy.Partial, KeepLast = 0 }])] }));
        Assert.Equal("overrides[0].rules[0].keepLast", problem.Key);
        Assert.Equal("0 is out of range; use 1 to 8 (4 is usual)", problem.Message);
    }

    [Fact]
    public void GatewaySecrets_AreRedactedAsWholeTermsAndShortOnesIgnored()
    {
        var engine = Masker.Engine(new MaskingPolicy { GatewaySecrets = ["s3cr3t-Token-0042", "short1"] });
        var result = engine.MaskText("token=s3cr3t-token-0042 and short1 stays", MaskingScope.Gateway, MaskingAudience.Caller(["anyone"]));
        Assert.Equal("token=[GATEWAY_SECRET] and short1 stays", result.Text);
        Assert.Equal(1, result.Report.Masked["gateway_secret"]);
    }

    [Theory]
    [InlineData("notes", "None", null)]
    [InlineData("notes", "Redact", "fraud")]
    [InlineData(null, "None", null)]
    public void GatewaySecrets_StayRedacted_InValuesLeftVisible(string? field, string strategy, string? revealTo)
    {
        var rule = new MaskingRule
        {
            Field = field,
            Entity = field is null ? "email" : null,
            Strategy = Enum.Parse<MaskingStrategy>(strategy),
            RevealTo = revealTo is null ? [] : [revealTo],
        };
        var engine = Masker.Engine(new MaskingPolicy { Rules = [rule], GatewaySecrets = ["s3cr3t-Token-0042"] });
        const string json = """{"notes":"mail s3cr3t-Token-0042@example.com"}""";
        var stored = Masker.MaskNode(json, engine);
        var forFraud = engine.MaskJson(System.Text.Json.Nodes.JsonNode.Parse(json), MaskingScope.Gateway, MaskingAudience.Caller(["fraud"]));
        Assert.DoesNotContain("s3cr3t", stored.Node!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("""{"notes":"mail [GATEWAY_SECRET]@example.com"}""", forFraud.Node!.ToJsonString());
        Assert.Equal(1, forFraud.Report.Masked["gateway_secret"]);
    }

    [Fact]
    public void CustomPatternAndDenyList_AreDetected()
    {
        var engine = Masker.Engine(new MaskingPolicy
        {
            CustomPatterns = [new CustomPattern("customer_id", "CUST-[0-9]{8}")],
            DenyLists = [new DenyList("project", ["Falcon", "Blue Harbor"])],
        });
        var result = engine.MaskText("CUST-12345678 on falcon and Blue Harbor, not falconry", MaskingScope.Gateway, MaskingAudience.Storage);
        Assert.Equal("[CUSTOMER_ID] on [PROJECT] and [PROJECT], not falconry", result.Text);
        Assert.Equal(2, result.Report.Masked["project"]);
    }
}
