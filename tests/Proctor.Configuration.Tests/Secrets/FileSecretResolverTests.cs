using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Tests.Secrets;

public sealed class FileSecretResolverTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("token\n", "token")]
    [InlineData("token\r\n", "token")]
    [InlineData("token", "token")]
    [InlineData("token\n\n", "token\n")]
    [InlineData("", "")]
    public void Resolve_File_ReturnsContentLessOneLineBreak(string content, string expected)
    {
        File.WriteAllText(Path.Combine(folder.Path, "secret"), content);

        Assert.Equal(expected, new FileSecretResolver(folder.Path).Resolve(new SecretReference("file", "secret")).Reveal());
    }

    [Fact]
    public void Resolve_AbsolutePath_IgnoresTheBaseFolder()
    {
        var path = Path.Combine(folder.Path, "abs");
        File.WriteAllText(path, "x");

        Assert.Equal("x", new FileSecretResolver("/").Resolve(new SecretReference("file", path)).Reveal());
    }

    [Fact]
    public void Resolve_MissingFile_NamesThePath()
    {
        var result = new FileSecretResolver(folder.Path).Resolve(new SecretReference("file", "nope"));

        Assert.Equal($"file {Path.Combine(folder.Path, "nope")} does not exist; create it or change the reference", result.FailureReason);
    }

    [Fact]
    public void Resolve_Folder_SaysToReferenceTheFile()
    {
        var result = new FileSecretResolver(folder.Path).Resolve(new SecretReference("file", folder.Path));

        Assert.Equal($"{folder.Path} is a folder; reference the file that holds the secret", result.FailureReason);
    }

    [Fact]
    public void Resolve_HugeFile_IsRefusedUnread()
    {
        File.WriteAllText(Path.Combine(folder.Path, "big"), new string('x', FileSecretResolver.MaxBytes + 1));

        var result = new FileSecretResolver(folder.Path).Resolve(new SecretReference("file", "big"));

        Assert.Equal($"file {Path.Combine(folder.Path, "big")} is larger than 64 KiB; a secret file holds a single value", result.FailureReason);
    }

    [Fact]
    public void Resolve_BinaryFile_AsksForText()
    {
        File.WriteAllBytes(Path.Combine(folder.Path, "bin"), [0xff, 0xfe, 0xfd]);

        var result = new FileSecretResolver(folder.Path).Resolve(new SecretReference("file", "bin"));

        Assert.Equal($"file {Path.Combine(folder.Path, "bin")} is not UTF-8 text; store the secret as text (base64-encode binary keys)", result.FailureReason);
    }
}
