using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>One real OpenID provider shared by the read-only harness tests.</summary>
public sealed class OidcProviderFixture : IAsyncLifetime
{
    internal OidcProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync() => Provider = await OidcProvider.StartAsync();

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}

/// <summary>Proves the identity-test harness: a real oidc-provider issuing RFC 9068 JWT access tokens, key rotation, forged tokens.</summary>
public sealed class OidcProviderHarnessTests(OidcProviderFixture fixture) : IClassFixture<OidcProviderFixture>
{
    private const string Resource = "http://127.0.0.1:5999/mcp";

    private OidcProvider Provider => fixture.Provider;

    [Fact]
    public async Task Discovery_Fetched_AnswersWithIssuerAndEndpoints()
    {
        var discovery = await Provider.DiscoveryAsync();

        Assert.Equal(Provider.IssuerIdentifier, (string?)discovery["issuer"]);
        Assert.Equal($"{Provider.IssuerIdentifier}/token", (string?)discovery["token_endpoint"]);
        Assert.Equal($"{Provider.IssuerIdentifier}/jwks", (string?)discovery["jwks_uri"]);
        Assert.Contains("client_credentials", discovery["grant_types_supported"]!.AsArray().Select(g => (string?)g));
    }

    [Fact]
    public async Task Jwks_Served_HoldsOnlyPublicKeysOfBothTypes()
    {
        var keys = (await Provider.JwksAsync())["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();

        Assert.Equal([Provider.RsaKid, Provider.EcKid], keys.Select(k => (string?)k["kid"]));
        Assert.Equal(["RSA", "EC"], keys.Select(k => (string?)k["kty"]));
        Assert.All(keys, k => Assert.False(k.ContainsKey("d"), "private part published"));
        var built = JsonNode.Parse(Provider.Jwks())!["keys"]!.AsArray().Select(k => Members(k!.AsObject()));
        Assert.Equal(built, keys.Select(Members));
    }

    [Fact]
    public async Task AnalystToken_RequestedForResource_IsSignedJwtWithIdentityClaims()
    {
        var token = await Provider.TokenAsync("analyst", Resource);

        var (header, payload) = OidcProvider.Decode(token);
        Assert.Equal("RS256", (string?)header["alg"]);
        Assert.Equal("at+jwt", (string?)header["typ"]);
        var key = await JwkAsync((string)header["kid"]!);
        Assert.Equal("RSA", (string?)key["kty"]);
        Assert.True(VerifyRs256(token, key), "RS256 signature does not verify with the JWKS key");

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(Provider.IssuerIdentifier, (string?)payload["iss"]);
        Assert.Equal(Resource, (string?)payload["aud"]);
        Assert.Equal("alice", (string?)payload["sub"]);
        Assert.Equal("analyst", (string?)payload["client_id"]);
        Assert.Equal(["analysts"], Strings(payload["groups"]));
        Assert.Equal(["pwd", "mfa"], Strings(payload["amr"]));
        Assert.Equal("urn:mfa", (string?)payload["acr"]);
        Assert.InRange((long)payload["auth_time"]!, now - 60 - 15, now - 60 + 5);
        Assert.Equal(300, (long)payload["exp"]! - (long)payload["iat"]!);
        Assert.False(string.IsNullOrEmpty((string?)payload["jti"]));
    }

    [Fact]
    public async Task Token_OtherResourceAndScope_AudienceAndScopeAreAsRequested()
    {
        var token = await Provider.TokenAsync("supervisor", "https://elsewhere.example/mcp", scope: "tools:call audit:read");

        var (_, payload) = OidcProvider.Decode(token);
        Assert.Equal("https://elsewhere.example/mcp", (string?)payload["aud"]);
        Assert.Equal("tools:call audit:read", (string?)payload["scope"]);
        Assert.Equal("bob", (string?)payload["sub"]);
        Assert.Equal(["supervisors", "approvers"], Strings(payload["groups"]));
        Assert.Equal(["pwd", "otp"], Strings(payload["amr"]));
    }

    [Fact]
    public async Task Token_Es256Requested_SignedWithTheEcKey()
    {
        var token = await Provider.TokenAsync("auditor", Resource, alg: "ES256");

        var (header, payload) = OidcProvider.Decode(token);
        Assert.Equal("ES256", (string?)header["alg"]);
        Assert.Equal(Provider.EcKid, (string?)header["kid"]);
        Assert.True(VerifyEs256(token, await JwkAsync(Provider.EcKid)), "ES256 signature does not verify with the JWKS key");
        Assert.Equal(["auditors"], Strings(payload["groups"]));
    }

    [Fact]
    public async Task NoMfaAndStaleTokens_Issued_CarryTheirWeakerClaims()
    {
        var (_, nomfa) = OidcProvider.Decode(await Provider.TokenAsync("nomfa", Resource));
        var (_, stale) = OidcProvider.Decode(await Provider.TokenAsync("stale", Resource));

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(["pwd"], Strings(nomfa["amr"]));
        Assert.False(nomfa.ContainsKey("acr"));
        Assert.Equal(["analysts"], Strings(nomfa["groups"]));
        Assert.Equal(["pwd", "mfa"], Strings(stale["amr"]));
        Assert.InRange((long)stale["auth_time"]!, now - 86_400 - 15, now - 86_400 + 5);
    }

    [Fact]
    public async Task Token_UnknownClient_ThrowsWithProviderError()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Provider.TokenAsync("nobody", Resource));

        Assert.Contains("invalid_client", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgeHs256WithPublicKey_Built_IsHs256UnderTheRsaKidMacedWithThePem()
    {
        var token = Provider.ForgeHs256WithPublicKey(Resource);

        var (header, payload) = OidcProvider.Decode(token);
        Assert.Equal("HS256", (string?)header["alg"]);
        Assert.Equal(Provider.RsaKid, (string?)header["kid"]);
        Assert.Equal("at+jwt", (string?)header["typ"]);
        Assert.Contains(Provider.RsaKid, (await Provider.JwksAsync())["keys"]!.AsArray().Select(k => (string?)k!["kid"]));
        var parts = token.Split('.');
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Provider.RsaPublicKeyPem), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        Assert.Equal(Base64Url.EncodeToString(mac), parts[2]);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", Provider.RsaPublicKeyPem, StringComparison.Ordinal);
        Assert.Equal(Provider.IssuerIdentifier, (string?)payload["iss"]);
        Assert.Equal(Resource, (string?)payload["aud"]);
        Assert.Equal(["analysts"], Strings(payload["groups"]));
    }

    [Fact]
    public void ForgeUnsigned_Built_IsAlgNoneWithEmptySignature()
    {
        var token = Provider.ForgeUnsigned(Resource, "supervisor");

        var (header, payload) = OidcProvider.Decode(token);
        Assert.Equal("none", (string?)header["alg"]);
        Assert.False(header.ContainsKey("kid"));
        Assert.EndsWith(".", token, StringComparison.Ordinal);
        Assert.Equal(Resource, (string?)payload["aud"]);
        Assert.Equal("bob", (string?)payload["sub"]);
    }

    [Fact]
    public async Task Tamper_RealToken_ChangesClaimKeepsSignatureWhichNoLongerVerifies()
    {
        var token = await Provider.TokenAsync("analyst", Resource);

        var tampered = OidcProvider.Tamper(token);

        var (original, changed) = (token.Split('.'), tampered.Split('.'));
        Assert.Equal(original[0], changed[0]);
        Assert.Equal(original[2], changed[2]);
        Assert.Equal(["supervisors", "approvers", "auditors"], Strings(OidcProvider.Decode(tampered).Payload["groups"]));
        var key = await JwkAsync(Provider.RsaKid);
        Assert.True(VerifyRs256(token, key));
        Assert.False(VerifyRs256(tampered, key));
    }

    [Fact]
    public async Task RotateKeys_Default_NewKidsSamePortAndOldKeysGone()
    {
        await using var provider = await OidcProvider.StartAsync(tokenTtl: TimeSpan.FromSeconds(30));
        var before = await provider.TokenAsync("analyst", Resource);
        var (oldRsa, oldEc) = (provider.RsaKid, provider.EcKid);
        var oldKey = await JwkAsync(provider, oldRsa);

        await provider.RotateKeysAsync();

        var after = await provider.TokenAsync("analyst", Resource);
        var (header, payload) = OidcProvider.Decode(after);
        Assert.NotEqual(oldRsa, (string?)header["kid"]);
        Assert.Equal(provider.RsaKid, (string?)header["kid"]);
        Assert.Equal(provider.IssuerIdentifier, (string?)payload["iss"]);
        Assert.Equal(30, (long)payload["exp"]! - (long)payload["iat"]!);
        var kids = (await provider.JwksAsync())["keys"]!.AsArray().Select(k => (string?)k!["kid"]).ToList();
        Assert.Equal([provider.RsaKid, provider.EcKid], kids);
        Assert.DoesNotContain(oldRsa, kids);
        Assert.DoesNotContain(oldEc, kids);
        Assert.True(VerifyRs256(before, oldKey));
        Assert.False(VerifyRs256(after, oldKey));
        Assert.True(VerifyRs256(after, await JwkAsync(provider, provider.RsaKid)));
    }

    [Fact]
    public async Task RotateKeys_KeepingOldKeys_BothPublishedNewOneSigns()
    {
        await using var provider = await OidcProvider.StartAsync();
        var oldRsa = provider.RsaKid;

        await provider.RotateKeysAsync(keepOldKeys: true);

        var kids = (await provider.JwksAsync())["keys"]!.AsArray().Select(k => (string?)k!["kid"]).ToList();
        Assert.Equal(4, kids.Count);
        Assert.Equal(provider.RsaKid, kids[0]);
        Assert.Contains(oldRsa, kids);
        Assert.Equal(provider.RsaKid, (string?)OidcProvider.Decode(await provider.TokenAsync("analyst", Resource)).Header["kid"]);
    }

    private Task<JsonObject> JwkAsync(string kid) => JwkAsync(Provider, kid);

    private static async Task<JsonObject> JwkAsync(OidcProvider provider, string kid) =>
        (await provider.JwksAsync())["keys"]!.AsArray().Select(k => k!.AsObject()).SingleOrDefault(k => (string?)k["kid"] == kid)
        ?? throw new Xunit.Sdk.XunitException($"kid {kid} is not in the JWKS");

    private static bool VerifyRs256(string token, JsonObject jwk)
    {
        var parts = token.Split('.');
        using var rsa = RSA.Create(new RSAParameters { Modulus = Bytes(jwk["n"]), Exponent = Bytes(jwk["e"]) });
        return rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static bool VerifyEs256(string token, JsonObject jwk)
    {
        var parts = token.Split('.');
        using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Bytes(jwk["x"]), Y = Bytes(jwk["y"]) } });
        return ec.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256);
    }

    private static byte[] Bytes(JsonNode? value) => Base64Url.DecodeFromChars((string)value!);

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(x => (string)x!)];

    private static string Members(JsonObject jwk) => string.Join(",", jwk.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal));
}
