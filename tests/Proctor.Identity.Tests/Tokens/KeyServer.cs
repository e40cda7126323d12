using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Proctor.Identity.Tests.Tokens;

/// <summary>An issuer's discovery document and its current key set, served in process to the authenticator's HttpClient.</summary>
internal sealed class KeyServer(string issuer, string jwks) : HttpMessageHandler
{
    public string Jwks { get; set; } = jwks;

    /// <summary>Requests served, to prove a refusal fetched nothing.</summary>
    public int Requests { get; private set; }

    /// <summary>While true, every request fails as an unreachable host would.</summary>
    public bool Down { get; set; }

    public static string JwksOf(RSA key, string kid)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{kid}}","n":"{{Base64Url.EncodeToString(parameters.Modulus)}}","e":"{{Base64Url.EncodeToString(parameters.Exponent)}}"}]}""";
    }

    /// <summary>A compact JWS of exactly these header and payload texts, RS256-signed with <paramref name="key"/>.</summary>
    public static string Sign(RSA key, string header, string payload)
    {
        var input = $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}";
        return $"{input}.{Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (Down)
        {
            throw new HttpRequestException("Connection refused (login.example.com:443)");
        }

        var body = request.RequestUri!.AbsolutePath switch
        {
            "/.well-known/openid-configuration" => $$"""{"issuer":"{{issuer}}","jwks_uri":"{{issuer}}/jwks"}""",
            "/jwks" => Jwks,
            _ => null,
        };
        return Task.FromResult(body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
