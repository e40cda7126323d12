using System.Buffers.Binary;
using System.Text;

namespace Proctor.Ledger.Checkpoints;

/// <summary>C2SP signed-note: the text, a blank line, and lines <c>— &lt;key name&gt; base64(key id ‖ signature)</c>.</summary>
public static class SignedNote
{
    private const string SignaturePrefix = "\u2014 ";

    public static async Task<string> SignAsync(string text, ICheckpointSigner signer, CancellationToken cancellationToken)
    {
        var signature = await signer.SignAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        var keyed = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(keyed, signer.PublicKey.KeyId);
        signature.CopyTo(keyed, 4);
        return $"{text}\n{SignaturePrefix}{signer.KeyName} {Convert.ToBase64String(keyed)}\n";
    }

    /// <summary>The note's text, its signatures unchecked (for display: <see cref="Open"/> is what proves anything); null if it is not a note.</summary>
    public static string? TextOf(string note)
    {
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        return split < 0 ? null : note[..(split + 1)];
    }

    /// <summary>The note's text if a signature by <paramref name="key"/> verifies; otherwise null and why.</summary>
    public static (string? Text, string? Problem) Open(string note, NoteVerifierKey key)
    {
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n'))
        {
            return (null, "not a signed note: no blank line between text and signatures");
        }
        if (note.Any(c => c < 0x20 && c != '\n'))
        {
            return (null, "not a signed note: it contains control characters");
        }
        var text = note[..(split + 1)];
        var found = false;
        foreach (var line in note[(split + 2)..^1].Split('\n'))
        {
            if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
            {
                return (null, $"malformed signature line \"{line}\"");
            }
            var nameAndSignature = line[SignaturePrefix.Length..].Split(' ');
            if (nameAndSignature.Length != 2 || nameAndSignature[0] != key.Name)
            {
                continue;
            }
            byte[] keyed;
            try
            {
                keyed = Convert.FromBase64String(nameAndSignature[1]);
            }
            catch (FormatException)
            {
                return (null, "a signature is not base64");
            }
            if (keyed.Length < 5 || BinaryPrimitives.ReadUInt32BigEndian(keyed) != key.KeyId)
            {
                continue;
            }
            found = true;
            if (!key.Verify(Encoding.UTF8.GetBytes(text), keyed[4..]))
            {
                return (null, $"the signature by {key.Name} ({key.KeyId:x8}) does not verify: the note was altered or signed by another key");
            }
        }
        return found ? (text, null) : (null, $"no signature by the trusted key {key.Name} ({key.KeyId:x8})");
    }
}
