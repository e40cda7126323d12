using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Masking.Detection;
using Proctor.Masking.Json;
using Proctor.Masking.Policy;
using Proctor.Masking.Strategies;

namespace Proctor.Masking;

/// <summary>
/// Masks sensitive values in MCP payloads, log lines and error messages under one validated policy.
/// Build one per policy version and share it: it is immutable and thread-safe.
/// Every method either returns a fully masked result or throws <see cref="MaskingFailedException"/>;
/// the caller MUST then withhold the payload (fail closed).
/// </summary>
public sealed class MaskingEngine
{
    /// <summary>Shortest gateway key accepted for the <c>token</c> strategy (HMAC-SHA256).</summary>
    public const int MinTokenKeyBytes = 32;

    private readonly TextScanner _scanner;
    private readonly Replacement _replacement;
    private readonly RuleBook _rules;
    private readonly TimeProvider _time;
    private readonly TimeSpan _budget;
    private readonly FrozenSet<string> _revealedGroups;
    private readonly bool _matchesAnything;

    private MaskingEngine(MaskingPolicy policy, byte[] tokenKey, TimeProvider time)
    {
        _revealedGroups = policy.Rules.Concat(policy.Overrides.SelectMany(o => o.Rules)).SelectMany(r => r.RevealTo).ToFrozenSet(StringComparer.Ordinal);
        _scanner = new TextScanner(new CustomDetector(policy));
        _replacement = new Replacement(tokenKey);
        _rules = new RuleBook(policy);
        _time = time;
        _budget = policy.TimeBudget;
        _matchesAnything = policy.CustomPatterns.Count > 0 || policy.DenyLists.Count > 0;
    }

    /// <summary>Validates <paramref name="policy"/> and builds an engine for it.</summary>
    /// <param name="policy">The masking policy; every error is reported at once.</param>
    /// <param name="tokenKey">The gateway's secret key for <c>token</c> values, at least <see cref="MinTokenKeyBytes"/> bytes. Copied.</param>
    /// <param name="time">Clock for the time budget; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="MaskingPolicyException">The policy or key is invalid; <see cref="MaskingPolicyException.Errors"/> names each key.</exception>
    public static MaskingEngine Create(MaskingPolicy policy, ReadOnlySpan<byte> tokenKey, TimeProvider? time = null)
    {
        var errors = MaskingPolicyValidator.Validate(policy).ToList();
        if (tokenKey.Length < MinTokenKeyBytes)
        {
            errors.Add($"tokenKey: {tokenKey.Length} bytes is too short; use at least {MinTokenKeyBytes} random bytes");
        }

        if (errors.Count > 0)
        {
            throw new MaskingPolicyException(errors);
        }

        return new MaskingEngine(policy, tokenKey.ToArray(), time ?? TimeProvider.System);
    }

    /// <summary>
    /// Whether any rule reveals values to one of <paramref name="groups"/> (a caller's). When none does, the caller's
    /// copy equals the stored copy, and one masking pass serves both. Asked on every call, so it builds nothing: an
    /// audience made of the caller's groups for the question alone was a set built per call (issue 13 profile).
    /// </summary>
    public bool RevealsAnythingTo(IReadOnlyList<string> groups)
    {
        for (var i = 0; i < groups.Count && _revealedGroups.Count > 0; i++)
        {
            if (_revealedGroups.Contains(groups[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Returns a masked deep copy of <paramref name="message"/>; the input is not modified, so the same
    /// message can be masked once for storage and once for the caller. Every string and member name (and
    /// every number under a telling field name, and every card-length integer) is masked except the
    /// top-level JSON-RPC <c>jsonrpc</c>, <c>id</c> and <c>method</c> values; a masked number becomes a
    /// string, a masked member name is kept unique in its object; strings that hold JSON are masked as JSON.
    /// </summary>
    /// <param name="message">An MCP JSON-RPC message, or any part of one (a result, a params object).</param>
    /// <param name="scope">Server and tool, selecting rule overrides.</param>
    /// <param name="audience"><see cref="MaskingAudience.Storage"/> for anything stored; the caller's groups for the caller's own response.</param>
    /// <exception cref="MaskingFailedException">Time budget exceeded or a failure; withhold the payload.</exception>
    public MaskedJson MaskJson(JsonNode? message, MaskingScope scope, MaskingAudience audience)
    {
        var session = Begin(scope, audience);
        try
        {
            return new MaskedJson(JsonNodeMasker.MaskMessage(message, session), session.Report());
        }
        catch (Exception e) when (e is not MaskingFailedException)
        {
            throw Failed(e);
        }
    }

    /// <summary>
    /// Masks UTF-8 JSON token by token into <paramref name="output"/> (no tree is built; unchanged strings
    /// are copied byte for byte). Same rules and output values as <see cref="MaskJson"/>. On failure
    /// <paramref name="output"/> holds a partial result that MUST be discarded.
    /// </summary>
    /// <exception cref="MaskingFailedException">Malformed JSON, time budget exceeded or a failure; withhold the payload.</exception>
    public MaskingReport MaskUtf8Json(ReadOnlySpan<byte> json, IBufferWriter<byte> output, MaskingScope scope, MaskingAudience audience)
    {
        var session = Begin(scope, audience);
        try
        {
            Utf8JsonMasker.MaskMessage(json, output, session);
            return session.Report();
        }
        catch (Exception e) when (e is not MaskingFailedException)
        {
            throw Failed(e);
        }
    }

    /// <summary>
    /// Masks a whole UTF-8 JSON message read from <paramref name="input"/> into <paramref name="output"/>.
    /// The input is buffered once (pooled) because a JSON value can only be released after its last
    /// token; memory is about input size plus output size. Nothing is written to <paramref name="output"/> unless masking succeeded.
    /// </summary>
    /// <exception cref="MaskingFailedException">Malformed JSON, time budget exceeded or a failure; withhold the payload.</exception>
    public async Task<MaskingReport> MaskUtf8JsonAsync(Stream input, Stream output, MaskingScope scope, MaskingAudience audience, CancellationToken cancellationToken = default)
    {
        using var inputBuffer = new PooledBuffer();
        await inputBuffer.ReadAllAsync(input, cancellationToken).ConfigureAwait(false);
        using var outputBuffer = new PooledBuffer();
        var report = MaskUtf8Json(inputBuffer.Written.Span, outputBuffer, scope, audience);
        await output.WriteAsync(outputBuffer.Written, cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>Masks free text (a log line, an error message). Text that is entirely JSON is masked as JSON.</summary>
    /// <exception cref="MaskingFailedException">Time budget exceeded or a failure; withhold the text.</exception>
    public MaskedText MaskText(string text, MaskingScope scope, MaskingAudience audience)
    {
        var session = Begin(scope, audience);
        try
        {
            return new MaskedText(session.Mask(text, FieldContext.None) ?? text, session.Report());
        }
        catch (Exception e) when (e is not MaskingFailedException)
        {
            throw Failed(e);
        }
    }

    /// <summary>
    /// The <c>outputSchema</c> to advertise for a tool in <paramref name="scope"/>: a copy of
    /// <paramref name="schema"/> that every result masking can make of a valid result still satisfies,
    /// whoever the audience (a value left unmasked satisfies it too). Keywords masking can break
    /// (<c>format</c>, <c>pattern</c>, lengths, <c>enum</c>/<c>const</c>, numeric types) become
    /// "as before, or a masked value"; everything else stays (decision 0014, docs/masking.md).
    /// Returns null when the schema is too large or deeply nested to adjust: advertise none then.
    /// </summary>
    public JsonNode? AdjustOutputSchema(JsonNode schema, MaskingScope scope)
    {
        var rules = _rules.For(scope);
        var reach = new Schemas.MaskingReach(rules, () => new MaskingSession(_scanner, _replacement, rules, MaskingAudience.Storage, _time, _budget), _matchesAnything);
        return new Schemas.OutputSchemaAdjuster(reach).Adjust(schema);
    }

    private MaskingSession Begin(MaskingScope scope, MaskingAudience audience) =>
        new(_scanner, _replacement, _rules.For(scope), audience, _time, _budget);

    private static MaskingFailedException Failed(Exception e) => e is JsonException
        ? new MaskingFailedException("The payload is not valid JSON, so it could not be masked and was withheld.", e)
        : new MaskingFailedException($"Masking failed ({e.GetType().Name}); the payload was withheld.", e);
}
