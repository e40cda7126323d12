using Proctor.Ledger.Checkpoints;

namespace Proctor.Ledger.Tests.Checkpoints;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SignedNoteTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proctor-note-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private EcdsaFileSigner Signer(string file = "key.pem") => EcdsaFileSigner.OpenOrCreate(Path.Combine(_directory, file), "bank.example/ledger");

    private static string Body() => new Checkpoint("bank.example/ledger", 42, new byte[32], DateTimeOffset.UnixEpoch).ToNoteText();

    [Fact]
    public async Task Open_SignedByKey_ReturnsCheckpointText()
    {
        using var signer = Signer();
        var note = await SignedNote.SignAsync(Body(), signer, default);
        var (text, problem) = SignedNote.Open(note, signer.PublicKey);
        Assert.Null(problem);
        Assert.Equal(42, Checkpoint.Parse(text!).TreeSize);
        Assert.Contains("\n\n\u2014 bank.example/ledger ", note);
    }

    [Fact]
    public async Task Open_TamperedText_IsRejected()
    {
        using var signer = Signer();
        var note = (await SignedNote.SignAsync(Body(), signer, default)).Replace("\n42\n", "\n43\n", StringComparison.Ordinal);
        Assert.Contains("does not verify", SignedNote.Open(note, signer.PublicKey).Problem);
    }

    [Fact]
    public async Task Open_WrongKey_IsRejected()
    {
        using var signer = Signer();
        using var other = Signer("other.pem");
        var note = await SignedNote.SignAsync(Body(), signer, default);
        Assert.Contains("no signature by the trusted key", SignedNote.Open(note, other.PublicKey).Problem);
    }

    [Fact]
    public void VerifierKey_RoundTripsThroughText()
    {
        using var signer = Signer();
        var parsed = NoteVerifierKey.Parse(signer.PublicKey.ToString());
        Assert.Equal(signer.PublicKey.KeyId, parsed.KeyId);
        Assert.StartsWith("bank.example/ledger+", signer.PublicKey.ToString());
    }

    [Fact]
    public void OpenOrCreate_NewKey_IsOwnerOnlyAndReloads()
    {
        using var created = Signer();
        Assert.True(created.Created);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "key.pem")));
        using var reopened = Signer();
        Assert.False(reopened.Created);
        Assert.Equal(created.PublicKey.ToString(), reopened.PublicKey.ToString());
    }

    [Fact]
    public void OpenOrCreate_KeyReadableByOthers_IsRefusedWithTheFix()
    {
        Signer().Dispose();
        var path = Path.Combine(_directory, "key.pem");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var failure = Assert.Throws<InvalidOperationException>(() => Signer());
        Assert.Contains($"chmod 600 {path}", failure.Message);
    }
}
