using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Proctor.Ledger.Checkpoints;

/// <summary>
/// A public key in signed-note verifier key text, <c>&lt;name&gt;+&lt;hex key id&gt;+&lt;base64(type ‖ key)&gt;</c>.
/// Type 0x02 is ECDSA as signed-note assigns it: a P-256 key in DER SubjectPublicKeyInfo, key id = the first
/// four bytes of SHA-256 of that DER, signatures ASN.1 DER over SHA-256 of the note text (decision 0005).
/// </summary>
public sealed class NoteVerifierKey
{
    public const byte EcdsaType = 0x02;

    private NoteVerifierKey(string name, uint keyId, byte[] subjectPublicKeyInfo)
    {
        Name = name;
        KeyId = keyId;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
    }

    public string Name { get; }
    public uint KeyId { get; }
    public byte[] SubjectPublicKeyInfo { get; }

    public static NoteVerifierKey ForEcdsa(string name, byte[] subjectPublicKeyInfo)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c == '+'))
        {
            throw new ArgumentException($"Key name \"{name}\" must be non-empty with no spaces or '+' (C2SP signed-note).", nameof(name));
        }
        return new NoteVerifierKey(name, BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(subjectPublicKeyInfo)), subjectPublicKeyInfo);
    }

    public static NoteVerifierKey Parse(string text)
    {
        var parts = text.Trim().Split('+', 3);
        if (parts.Length != 3 || parts[1].Length != 8 || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId))
        {
            throw new FormatException("A verifier key reads <name>+<8 hex digits>+<base64 key>.");
        }
        var typed = Convert.FromBase64String(parts[2]);
        if (typed.Length < 2 || typed[0] != EcdsaType)
        {
            throw new FormatException($"Verifier key type 0x{(typed.Length > 0 ? typed[0] : 0):x2} is not supported; Proctor signs with ECDSA (0x02).");
        }
        var key = ForEcdsa(parts[0], typed[1..]);
        if (key.KeyId != keyId)
        {
            throw new FormatException($"Verifier key id {parts[1]} does not match its key ({key.KeyId:x8}).");
        }
        return key;
    }

    public override string ToString() => $"{Name}+{KeyId:x8}+{Convert.ToBase64String([EcdsaType, .. SubjectPublicKeyInfo])}";

    public bool Verify(byte[] message, byte[] signature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
        return ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }
}
