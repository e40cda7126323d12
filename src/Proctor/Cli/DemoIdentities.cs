using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Proctor.Evidence;
using Proctor.Identity.AgentKeys;
using Proctor.Storage.Sqlite.AgentKeys;

namespace Proctor.Cli;

/// <summary>
/// The demo's own identity provider, reduced to what a resource server needs: an ES256 signing key
/// (<c>DIR/demo-issuer/signing-key.pem</c>, owner-only) whose public JWKS the demo configuration pins
/// with <c>identity.issuerKeys</c>, signed tokens for analyst, supervisor and auditor, and one agent
/// key. Real tokens, checked by the same code as any OpenID provider's: nothing is bypassed.
/// </summary>
internal static class DemoIdentities
{
    public const string Issuer = "https://demo-issuer.proctor.invalid";
    public const string JwksFile = "demo-issuer/jwks.json";
    private const string KeyFile = "demo-issuer/signing-key.pem";
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);

    /// <summary>Who the demo lets in, and the groups policy rules will name.</summary>
    private static readonly (string Subject, string[] Groups)[] People =
    [
        ("analyst", ["analysts"]),
        ("supervisor", ["supervisors", "approvers"]),
        ("auditor", ["auditors"]),
    ];

    /// <summary>Creates the issuer key and JWKS on first run; returns one bearer credential per demo identity.</summary>
    public static async Task<IReadOnlyList<(string Name, string Credential)>> IssueAsync(string data, Uri resource, string databasePath, CancellationToken cancellationToken)
    {
        using var key = LoadOrCreateKey(Path.Combine(data, KeyFile));
        var signingKey = new ECDsaSecurityKey(key) { KeyId = KeyId(key) };
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(signingKey);
        await File.WriteAllTextAsync(Path.Combine(data, JwksFile), JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, use = "sig", alg = "ES256" } },
        }), cancellationToken).ConfigureAwait(false);

        var now = TimeProvider.System.GetUtcNow();
        var handler = new JsonWebTokenHandler();
        var issued = People.Select(person => (person.Subject, handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = resource.ToString(),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + TokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = person.Subject,
                ["groups"] = person.Groups,
                ["amr"] = new[] { "pwd", "otp" },
                ["auth_time"] = now.ToUnixTimeSeconds(),
            },
        }))).ToList();

        issued.Add(("agent", await CreateAgentKeyAsync(databasePath, now, cancellationToken).ConfigureAwait(false)));
        return issued;
    }

    private static async Task<string> CreateAgentKeyAsync(string databasePath, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var store = new SqliteAgentKeyStore(databasePath); // creates the database owner-only, in an owner-only folder
        var secret = AgentKeyFormat.NewKey();
        var name = $"demo-agent-{now:yyyyMMddHHmmss}";
        await store.AddAsync(new AgentKey(AgentKeyFormat.NewId(), name, ["agents"], now, now.AddDays(30), null), AgentKeyFormat.Hash(secret), cancellationToken).ConfigureAwait(false);
        return secret;
    }

    private static ECDsa LoadOrCreateKey(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The demo keeps its issuer key in an owner-only file (Unix file modes); run it on Linux.");
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = OwnerOnlyFile.ReadOrCreate(path, () => Encoding.UTF8.GetBytes(key.ExportPkcs8PrivateKeyPem()), "the demo issuer's signing key");
        key.ImportFromPem(Encoding.UTF8.GetString(pem));
        return key;
    }

    private static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
}
