using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Proctor.Configuration.Models;
using Proctor.Identity;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;
using Proctor.Storage.Sqlite.AgentKeys;

namespace Proctor.Bench.Micro.Identity;

/// <summary>
/// Cost of authenticating one request with warm caches (target ≤ 20 µs): a JWT access token (RS256 and
/// ES256) whose issuer's discovery document and JWKS are already cached, and an agent key whose lookup
/// is cached (the SQLite store is read once per <see cref="AgentKeyAuthenticator.CacheLifetime"/>).
/// The identity provider is an in-process handler, so no network time is measured.
/// </summary>
[MemoryDiagnoser]
public class AuthenticationBenchmarks
{
    private const string Issuer = "https://login.bench.example";
    private const string Resource = "https://gateway.bench.example/mcp";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-bench-keys-");
    private JwtAuthenticator _jwt = null!;
    private AgentKeyAuthenticator _agentKeys = null!;
    private string _rs256 = "";
    private string _es256 = "";
    private string _agentKey = "";

    [GlobalSetup]
    public void Setup()
    {
        var rsa = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-1" };
        var ec = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-1" };
        var settings = new IdentitySettings(new Uri(Resource), [new Uri(Issuer)], "groups", ["RS256", "ES256"], TimeSpan.FromSeconds(30));
        _jwt = new JwtAuthenticator(settings, new HttpClient(new Provider(rsa, ec)));
        _rs256 = Token(new SigningCredentials(rsa, SecurityAlgorithms.RsaSha256));
        _es256 = Token(new SigningCredentials(ec, SecurityAlgorithms.EcdsaSha256));

        var store = new SqliteAgentKeyStore(Path.Combine(_folder.FullName, "proctor.db"));
        _agentKey = AgentKeyFormat.NewKey();
        var now = DateTimeOffset.UtcNow;
        store.AddAsync(new AgentKey(AgentKeyFormat.NewId(), "bench", ["analysts"], now, now.AddDays(30), null), AgentKeyFormat.Hash(_agentKey), CancellationToken.None).GetAwaiter().GetResult();
        _agentKeys = new AgentKeyAuthenticator(store);

        // Warm every cache once, and fail fast if a path does not authenticate.
        foreach (var outcome in new[] { JwtRs256(), JwtEs256(), AgentKey() })
        {
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"Benchmark setup: authentication failed: {outcome.Description}");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Benchmark(Baseline = true)]
    public AuthenticationOutcome JwtRs256() => _jwt.AuthenticateAsync(_rs256, CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark]
    public AuthenticationOutcome JwtEs256() => _jwt.AuthenticateAsync(_es256, CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark]
    public AuthenticationOutcome AgentKey() => _agentKeys.AuthenticateAsync(_agentKey, CancellationToken.None).GetAwaiter().GetResult();

    private static string Token(SigningCredentials credentials) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Resource,
        Expires = DateTime.UtcNow.AddDays(1),
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        SigningCredentials = credentials,
        Claims = new Dictionary<string, object>
        {
            ["sub"] = "alice",
            ["groups"] = new[] { "analysts" },
            ["amr"] = new[] { "pwd", "mfa" },
            ["auth_time"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
            ["scope"] = "mcp:bank.read",
        },
    });

    /// <summary>Serves discovery and the JWKS from memory.</summary>
    private sealed class Provider(RsaSecurityKey rsa, ECDsaSecurityKey ec) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.RequestUri!.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => JsonSerializer.Serialize(new Dictionary<string, object> { ["issuer"] = Issuer, ["jwks_uri"] = Issuer + "/jwks" }),
                "/jwks" => JsonSerializer.Serialize(new { keys = new[] { Public(JsonWebKeyConverter.ConvertFromRSASecurityKey(rsa)), Public(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(ec)) } }),
                _ => null,
            };
            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }

        private static Dictionary<string, string> Public(JsonWebKey key) => key.Kty == "RSA"
            ? new() { ["kty"] = "RSA", ["kid"] = key.Kid, ["use"] = "sig", ["n"] = key.N, ["e"] = key.E }
            : new() { ["kty"] = "EC", ["kid"] = key.Kid, ["use"] = "sig", ["crv"] = key.Crv, ["x"] = key.X, ["y"] = key.Y };
    }
}
