using System.Security.Cryptography;
using System.Text;
using Proctor.Masking.Detection;
using Proctor.Masking.Policy;

namespace Proctor.Masking.Strategies;

/// <summary>Writes the masked form of one value according to its rule.</summary>
internal sealed class Replacement(byte[] tokenKey)
{
    // 64 bits of the MAC: collisions stay negligible for the values one gateway sees, tokens stay short.
    private const int DigestBytesShown = 8;
    private const int StackChars = 256;

    // Entity names are the built-in ones plus the policy's own, so this stays small.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _labels = new(StringComparer.Ordinal);

    public void Append(StringBuilder output, ReadOnlySpan<char> value, string entity, MaskingRule rule)
    {
        switch (rule.Strategy)
        {
            case MaskingStrategy.Partial: AppendPartial(output, value, rule.KeepLast); break;
            case MaskingStrategy.Token: AppendDigest(output, value, entity, keyed: true); break;
            case MaskingStrategy.Hash: AppendDigest(output, value, entity, keyed: false); break;
            case MaskingStrategy.None: output.Append(value); break;
            default: output.Append(_labels.GetOrAdd(entity, static e => $"[{e.ToUpperInvariant()}]")); break;
        }
    }

    /// <summary>
    /// Stars every letter and digit except the last ones kept; never keeps more than half of them. Counts
    /// characters, not UTF-16 units, so a digit outside the BMP (a surrogate pair) is starred whole.
    /// </summary>
    private static void AppendPartial(StringBuilder output, ReadOnlySpan<char> value, int keepLast)
    {
        if (!value.ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            AppendPartialBmp(output, value, keepLast);
            return;
        }
        var alphanumerics = 0;
        for (var i = 0; i < value.Length;)
        {
            i += RuneAt(value, i, out var rune);
            if (Rune.IsLetterOrDigit(rune))
            {
                alphanumerics++;
            }
        }
        var keep = Math.Min(keepLast, alphanumerics / 2);
        var starred = alphanumerics - keep;
        Span<char> masked = value.Length <= StackChars ? stackalloc char[value.Length] : new char[value.Length];
        var n = 0;
        for (var i = 0; i < value.Length;)
        {
            var length = RuneAt(value, i, out var rune);
            if (Rune.IsLetterOrDigit(rune) && starred-- > 0)
            {
                masked[n++] = '*';
            }
            else
            {
                value.Slice(i, length).CopyTo(masked[n..]);
                n += length;
            }
            i += length;
        }
        output.Append(masked[..n]);
    }

    /// <summary><see cref="AppendPartial"/> for text without surrogates, where a character is one UTF-16 unit.</summary>
    private static void AppendPartialBmp(StringBuilder output, ReadOnlySpan<char> value, int keepLast)
    {
        var alphanumerics = 0;
        foreach (var c in value)
        {
            if (char.IsLetterOrDigit(c))
            {
                alphanumerics++;
            }
        }

        var starred = alphanumerics - Math.Min(keepLast, alphanumerics / 2);
        Span<char> masked = value.Length <= StackChars ? stackalloc char[value.Length] : new char[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            masked[i] = char.IsLetterOrDigit(c) && starred-- > 0 ? '*' : c;
        }
        output.Append(masked);
    }

    private static int RuneAt(ReadOnlySpan<char> value, int i, out Rune rune)
    {
        Rune.DecodeFromUtf16(value[i..], out rune, out var consumed);
        return Math.Max(consumed, 1);
    }

    /// <summary>The digest is over the value with look-alikes folded, so <c>５１４-２４-１０９８</c> gets the token of <c>514-24-1098</c>.</summary>
    private void AppendDigest(StringBuilder output, ReadOnlySpan<char> value, string entity, bool keyed)
    {
        // Folded values are rare; a heap copy keeps the common path's stack small.
        if (LookAlikes.MayFold(value))
        {
            var folded = new char[value.Length];
            var length = LookAlikes.Fold(value, folded, []);
            if (length >= 0)
            {
                value = folded.AsSpan(0, length);
            }
        }

        var byteCount = Encoding.UTF8.GetByteCount(value) + entity.Length + 1;
        var rented = byteCount <= 512 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(byteCount);
        Span<byte> input = rented ?? stackalloc byte[512];
        var n = Encoding.UTF8.GetBytes(entity, input);
        input[n++] = 0;
        n += Encoding.UTF8.GetBytes(value, input[n..]);
        Span<byte> digest = stackalloc byte[32];
        if (keyed)
        {
            HMACSHA256.HashData(tokenKey, input[..n], digest);
        }
        else
        {
            SHA256.HashData(input[..n], digest);
        }

        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        output.Append(keyed ? "tok_" : "sha256:");
        if (keyed)
        {
            output.Append(entity).Append('_');
        }

        output.Append(Convert.ToHexStringLower(digest[..DigestBytesShown]));
    }
}
