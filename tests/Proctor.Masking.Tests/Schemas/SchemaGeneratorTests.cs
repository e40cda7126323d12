using System.Text.Json.Nodes;
using Proctor.Masking.Detection;
using Proctor.Masking.Policy;
using Proctor.Tests.Shared;
using static Proctor.Masking.Tests.Schemas.Results;

namespace Proctor.Masking.Tests.Schemas;

/// <summary>
/// Random results × tight schemas × every strategy: every masked result validates against the adjusted
/// schema, and so does the unmasked one (a caller allowed to see it). Hard negatives beside them:
/// schemas masking cannot break come back unchanged.
/// </summary>
public sealed class SchemaGeneratorTests
{
    private const int Seed = 20260914;
    // JsonSchema.Net builds each schema per evaluation: 60 cases took about 20 s per strategy on the 2-core test machine.
    private const int Cases = 40;

    public static TheoryData<MaskingStrategy> Strategies => [MaskingStrategy.Redact, MaskingStrategy.Partial, MaskingStrategy.Token, MaskingStrategy.Hash];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Adjust_RandomTightSchemas_EveryMaskedResultValidates(MaskingStrategy strategy)
    {
        var engine = Masker.Engine(new MaskingPolicy
        {
            Rules = [.. EntityTypes.BuiltIn.Select(e => new MaskingRule { Entity = e, Strategy = strategy }), new MaskingRule { Field = "reference", Strategy = strategy }],
        });
        var generator = new TightSchemas(new Random(Seed));
        var refusedUnadjusted = 0;
        for (var i = 0; i < Cases; i++)
        {
            var (result, schema) = generator.Next();
            Assert.True(SchemaValidator.IsValid(schema, result), $"generator bug, case {i}: {SchemaValidator.Errors(schema, result)}\n{schema.ToJsonString()}\n{result.ToJsonString()}");
            var masked = Masked(result, engine);
            var adjusted = engine.AdjustOutputSchema(schema, Scope);

            Assert.NotNull(adjusted);
            Assert.True(SchemaValidator.IsValid(adjusted, masked), $"case {i}: {SchemaValidator.Errors(adjusted, masked)}\nschema   {schema.ToJsonString()}\nadjusted {adjusted!.ToJsonString()}\nmasked   {masked!.ToJsonString()}");
            Assert.True(SchemaValidator.IsValid(adjusted, result), $"case {i} unmasked: {SchemaValidator.Errors(adjusted, result)}");
            if (!SchemaValidator.IsValid(schema, masked))
            {
                refusedUnadjusted++;
            }
        }

        // The generator is worth something only if clients would have refused most of these results.
        Assert.True(refusedUnadjusted > Cases / 2, $"only {refusedUnadjusted} of {Cases} masked results broke their unadjusted schema");
    }

    [Fact]
    public void Adjust_RandomSchemasMaskingCannotBreak_ComeBackUnchanged()
    {
        var generator = new TightSchemas(new Random(Seed), TightSchemas.Proof);
        for (var i = 0; i < Cases; i++)
        {
            var (result, schema) = generator.Next();
            var adjusted = Masker.Defaults.AdjustOutputSchema(schema, Scope);

            Assert.True(JsonNode.DeepEquals(schema, adjusted), $"case {i}:\nschema   {schema.ToJsonString()}\nadjusted {adjusted?.ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(result, Masked(result))); // and indeed masking left the result alone
        }
    }
}
