using System.Buffers;
using System.Text;
using Proctor.Masking.Detection;
using Proctor.Masking.Json;
using Proctor.Masking.Policy;
using Proctor.Masking.Strategies;

namespace Proctor.Masking;

/// <summary>The state of one masking call: rules in scope, audience, deadline, counts and scratch buffers.</summary>
internal sealed class MaskingSession(
    TextScanner scanner, Replacement replacement, ScopedRules rules, MaskingAudience audience, TimeProvider time, TimeSpan budget)
{
    // Strings holding JSON holding JSON are unwrapped this deep; deeper ones are scanned as text.
    private const int MaxNestedJson = 2;
    // Reading the clock costs about as much as scanning a short string, so it is read every few values.
    private const int ValuesPerClockRead = 16;
    private const int LongValueChars = 4096;

    private readonly long _deadline = time.GetTimestamp() + (long)(budget.TotalSeconds * time.TimestampFrequency);
    // Made when a value is first scanned or rewritten: most passes over a message find nothing to scan (issue 13).
    private List<Finding>? _findings;
    private StringBuilder? _builder;
    private Dictionary<string, int>? _masked;
    private Dictionary<string, int>? _revealed;
    private int _valuesSinceClockRead;
    private int _nesting;
    private bool _revealedInValue;

    public ScopedRules Rules => rules;

    /// <summary>Values found so far, masked or revealed; unchanged when a masking call found nothing at all.</summary>
    public int Found { get; private set; }

    public MaskingReport Report() =>
        _masked is null && _revealed is null
            ? MaskingReport.Empty
            : new MaskingReport(_masked ?? (IReadOnlyDictionary<string, int>)MaskingReport.Empty.Masked, _revealed ?? MaskingReport.Empty.Revealed);

    /// <summary>
    /// False when <see cref="Mask"/> would provably leave a string unchanged, judged from its UTF-8
    /// bytes without JSON escapes. Such a string cannot hold nested JSON with field names either: its
    /// quotes would be escaped.
    /// </summary>
    public bool MayChange(ReadOnlySpan<byte> unescapedUtf8, FieldContext field) =>
        !field.Skip && (field.Rule is not null || scanner.MayFindIn(unescapedUtf8));

    /// <summary>False when <see cref="MaskName"/> would provably leave a member name unchanged, judged from its UTF-8 bytes without escapes.</summary>
    public bool MayChangeName(ReadOnlySpan<byte> unescapedUtf8) => scanner.MayFindInName(unescapedUtf8);

    /// <summary>False when <see cref="MaskName"/> would provably leave <paramref name="name"/> unchanged.</summary>
    public bool MayChangeName(ReadOnlySpan<char> name) => scanner.MayFindInName(name);

    /// <summary>Masks a JSON member name, read in <paramref name="context"/> (its object's holder); null when it stays.</summary>
    public string? MaskName(ReadOnlySpan<char> name, FieldContext context) => scanner.MayFindInName(name) ? Mask(name, context) : null;

    /// <summary>Masks one string value; returns null when it stays as it is.</summary>
    public string? Mask(ReadOnlySpan<char> value, FieldContext field)
    {
        if (field.Skip)
        {
            return null;
        }

        CheckBudget(value.Length);
        if (field.Rule is null && _nesting < MaxNestedJson && LooksLikeJson(value) && TryMaskNestedJson(value, field, out var nested))
        {
            return nested;
        }

        _revealedInValue = false;
        string? masked;
        if (field.Rule is { } fieldRule)
        {
            Builder.Clear();
            masked = Apply(value, fieldRule.Entity ?? EntityTypes.Field, fieldRule) ? Builder.ToString() : null;
        }
        else
        {
            scanner.Scan(value, field.Flags, Findings);
            masked = MaskFindings(value);
        }
        // What a rule leaves visible (strategy none, revealTo, or a finding that overlapped one) still never shows the gateway's own credentials.
        if (!_revealedInValue || !scanner.HasGatewaySecrets)
        {
            return masked;
        }

        var visible = masked ?? value.ToString();
        scanner.ScanGatewaySecrets(visible, Findings);
        return MaskFindings(visible) ?? masked;
    }

    /// <summary>Replaces each of <see cref="_findings"/> in <paramref name="value"/> as its entity's rule says; null when nothing changed.</summary>
    private string? MaskFindings(ReadOnlySpan<char> value)
    {
        if (_findings is not { Count: > 0 } findings)
        {
            return null;
        }

        var builder = Builder.Clear();
        var changed = false;
        var copied = 0;
        foreach (var finding in findings)
        {
            builder.Append(value[copied..finding.Start]);
            changed |= Apply(value.Slice(finding.Start, finding.Length), finding.EntityType, rules.ForEntity(finding.EntityType));
            copied = finding.End;
        }
        builder.Append(value[copied..]);
        return changed ? builder.ToString() : null;
    }

    /// <summary>Appends the masked (or revealed) value to the builder and counts it; true if it changed.</summary>
    private bool Apply(ReadOnlySpan<char> value, string entity, MaskingRule rule)
    {
        Found++;
        if (rule.Strategy == MaskingStrategy.None || audience.MayReveal(rule.RevealTo))
        {
            _revealedInValue = true;
            Count(ref _revealed, entity);
            Builder.Append(value);
            return false;
        }
        Count(ref _masked, entity);
        replacement.Append(Builder, value, entity, rule);
        return true;
    }

    private List<Finding> Findings => _findings ??= [];

    private StringBuilder Builder => _builder ??= new();

    private static void Count(ref Dictionary<string, int>? counts, string entity)
    {
        counts ??= new Dictionary<string, int>(StringComparer.Ordinal);
        counts[entity] = counts.GetValueOrDefault(entity) + 1;
    }

    private void CheckBudget(int length)
    {
        if (++_valuesSinceClockRead < ValuesPerClockRead && length < LongValueChars)
        {
            return;
        }

        _valuesSinceClockRead = 0;
        if (time.GetTimestamp() > _deadline)
        {
            throw new MaskingFailedException($"Masking exceeded its time budget of {budget.TotalMilliseconds:0} ms; the payload was withheld. Raise masking.timeBudget or reduce the payload size.");
        }
    }

    private static bool LooksLikeJson(ReadOnlySpan<char> value)
    {
        var trimmed = value.Trim();
        return trimmed.Length >= 2 && ((trimmed[0] == '{' && trimmed[^1] == '}') || (trimmed[0] == '[' && trimmed[^1] == ']'));
    }

    /// <summary>
    /// Text that parses as JSON is masked as JSON, so its field names give context; otherwise it is free text.
    /// The outer <paramref name="field"/>'s context carries into the JSON, or <c>"ssn": "[123456789]"</c> would pass unmasked.
    /// </summary>
    private bool TryMaskNestedJson(ReadOnlySpan<char> value, FieldContext field, out string? masked)
    {
        masked = null;
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            var utf8 = rented.AsSpan(0, Encoding.UTF8.GetBytes(value, rented));
            if (!Utf8JsonMasker.IsValid(utf8))
            {
                return false;
            }

            var output = new ArrayBufferWriter<byte>(utf8.Length + 64);
            bool changed;
            _nesting++;
            try { changed = Utf8JsonMasker.MaskNested(utf8, output, this, field); }
            finally { _nesting--; }
            if (changed)
            {
                masked = Encoding.UTF8.GetString(output.WrittenSpan);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
