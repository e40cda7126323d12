using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>
/// A client of the test OpenID provider (client_credentials grant) and the identity claims the provider
/// puts into its JWT access tokens: <c>sub</c>, <c>groups</c>, <c>amr</c>, <c>acr</c> (omitted when null) and
/// <c>auth_time</c> = issuance time minus <see cref="AuthAgeSeconds"/> (omitted when null).
/// </summary>
internal sealed record OidcClient(string Id, string Subject, IReadOnlyList<string> Groups, IReadOnlyList<string> Amr, string? Acr, int? AuthAgeSeconds)
{
    public string Secret => $"{Id}-secret";
}

/// <summary>A person who signs in at the test provider's login page; their access tokens carry <c>sub</c> = <paramref name="Username"/>, <c>name</c>, <c>groups</c> and <c>amr: ["pwd"]</c>.</summary>
internal sealed record OidcPerson(string Username, string Password, string Name, IReadOnlyList<string> Groups);

/// <summary>A public browser client of the test provider: authorization code grant, PKCE (S256) required, this one redirect URI.</summary>
internal sealed record OidcBrowserClient(string Id, Uri RedirectUri);

/// <summary>
/// A real OpenID provider (npm <c>oidc-provider</c> under Node 22, tests/node/oidc-provider-server.mjs) on a free
/// loopback port, with key material generated here: RSA 2048 (RS256, the default) and EC P-256 (ES256).
/// Tokens are RFC 9068 JWT access tokens (<c>typ: at+jwt</c>) whose <c>aud</c> is the requested resource.
/// </summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    public static IReadOnlyList<OidcClient> DefaultClients { get; } =
    [
        new("analyst", "alice", ["analysts"], ["pwd", "mfa"], "urn:mfa", 60),
        new("supervisor", "bob", ["supervisors", "approvers"], ["pwd", "otp"], "urn:mfa", 60),
        new("auditor", "carol", ["auditors"], ["pwd", "mfa"], "urn:mfa", 60),
        new("nomfa", "dave", ["analysts"], ["pwd"], null, 60),
        new("stale", "erin", ["analysts"], ["pwd", "mfa"], "urn:mfa", 86_400),
    ];

    private static readonly string Script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "oidc-provider-server.mjs");

    private readonly DirectoryInfo _directory;
    private readonly IReadOnlyList<OidcClient> _clients;
    private readonly IReadOnlyList<OidcBrowserClient> _browserClients;
    private readonly IReadOnlyList<OidcPerson> _people;
    private readonly TimeSpan _tokenTtl;
    private readonly List<JsonObject> _previousKeys = [];
    private ChildProcess? _process;
    private HttpClient _http = NewHttpClient();
    private RSA _rsa;
    private ECDsa _ec;
    private string? _tokenEndpoint;

    private OidcProvider(int port, TimeSpan tokenTtl, IReadOnlyList<OidcClient> clients, IReadOnlyList<OidcBrowserClient> browserClients, IReadOnlyList<OidcPerson> people)
    {
        Port = port;
        Issuer = new Uri($"http://127.0.0.1:{port}");
        _tokenTtl = tokenTtl;
        _clients = clients;
        _browserClients = browserClients;
        _people = people;
        _directory = Directory.CreateTempSubdirectory("proctor-oidc-");
        (_rsa, _ec, RsaKid, EcKid) = NewKeys();
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>; the <c>iss</c> of every token and the discovery <c>issuer</c> (no trailing slash).</summary>
    public Uri Issuer { get; }

    /// <summary>The issuer exactly as in tokens and discovery: <c>http://127.0.0.1:PORT</c> (Uri.ToString() would add a slash).</summary>
    public string IssuerIdentifier => Issuer.GetLeftPart(UriPartial.Authority);

    public Uri Discovery => new(Issuer, "/.well-known/openid-configuration");

    /// <summary>Kid of the RSA key that signs RS256 tokens now (changes on <see cref="RotateKeysAsync"/>).</summary>
    public string RsaKid { get; private set; }

    /// <summary>Kid of the EC P-256 key that signs ES256 tokens now.</summary>
    public string EcKid { get; private set; }

    /// <summary>The current RSA public key as a PEM file (SubjectPublicKeyInfo, LF line ends, trailing LF).</summary>
    public string RsaPublicKeyPem => _rsa.ExportSubjectPublicKeyInfoPem() + "\n";

    /// <summary>What the provider process printed (for failure messages).</summary>
    public string Output => _process?.Output ?? "";

    public IReadOnlyList<OidcClient> Clients => _clients;

    /// <param name="browserClients">Clients people sign in through (authorization code + PKCE), besides the machine <paramref name="clients"/>.</param>
    /// <param name="people">Who may sign in at the provider's login page.</param>
    public static async Task<OidcProvider> StartAsync(TimeSpan? tokenTtl = null, IEnumerable<OidcClient>? clients = null, IEnumerable<OidcBrowserClient>? browserClients = null, IEnumerable<OidcPerson>? people = null)
    {
        var provider = new OidcProvider(Ports.Free(), tokenTtl ?? TimeSpan.FromSeconds(300), [.. clients ?? DefaultClients], [.. browserClients ?? []], [.. people ?? []]);
        try
        {
            await File.WriteAllTextAsync(provider.ClientsPath, provider.ClientsJson());
            await File.WriteAllTextAsync(provider.PeoplePath, provider.PeopleJson());
            await provider.LaunchAsync();
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>Client credentials grant for <paramref name="client"/> with <c>resource</c> (RFC 8707); returns the JWT access token.</summary>
    /// <param name="alg">"RS256" (default) or "ES256".</param>
    public async Task<string> TokenAsync(string client, string resource, string? scope = null, string? alg = null)
    {
        _tokenEndpoint ??= (string?)(await DiscoveryAsync())["token_endpoint"] ?? throw new InvalidOperationException("Discovery has no token_endpoint.");
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["resource"] = resource };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        if (alg is not null)
        {
            form["token_alg"] = alg;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        var secret = _clients.FirstOrDefault(c => c.Id == client)?.Secret ?? $"{client}-secret";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(client)}:{Uri.EscapeDataString(secret)}")));
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token request for client '{client}' failed: {(int)response.StatusCode} {body}");
        }

        return (string?)JsonNode.Parse(body)?["access_token"] ?? throw new InvalidOperationException($"Token response without access_token: {body}");
    }

    public async Task<JsonObject> DiscoveryAsync() => JsonNode.Parse(await _http.GetStringAsync(Discovery))!.AsObject();

    /// <summary>The JWKS as the provider serves it at its <c>jwks_uri</c>.</summary>
    public async Task<JsonObject> JwksAsync()
    {
        var uri = (string?)(await DiscoveryAsync())["jwks_uri"] ?? throw new InvalidOperationException("Discovery has no jwks_uri.");
        return JsonNode.Parse(await _http.GetStringAsync(uri))!.AsObject();
    }

    /// <summary>The public JWKS the provider publishes now, as built here (current keys first).</summary>
    public string Jwks() => new JsonObject { ["keys"] = new JsonArray([.. AllKeys().Select(k => (JsonNode)PublicPart(k))]) }.ToJsonString();

    /// <summary>
    /// Key rotation while everything else keeps running: restarts the provider on the same port with a new RSA
    /// and EC key (new kids). The old keys are dropped from the JWKS unless <paramref name="keepOldKeys"/>, when
    /// they stay published (after the new ones) but no longer sign.
    /// </summary>
    public async Task RotateKeysAsync(bool keepOldKeys = false)
    {
        if (keepOldKeys)
        {
            _previousKeys.InsertRange(0, CurrentKeys());
        }
        else
        {
            _previousKeys.Clear();
        }

        _rsa.Dispose();
        _ec.Dispose();
        (_rsa, _ec, RsaKid, EcKid) = NewKeys();
        await StopAsync();
        _http.Dispose();
        _http = NewHttpClient();
        _tokenEndpoint = null;
        await LaunchAsync();
    }

    /// <summary>
    /// Algorithm confusion: a token that looks like the provider's (kid of the current RSA key, same claims as
    /// a real one for <paramref name="client"/>) but says HS256, MACed with the UTF-8 bytes of <see cref="RsaPublicKeyPem"/>.
    /// </summary>
    public string ForgeHs256WithPublicKey(string resource, string client = "analyst")
    {
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "at+jwt", ["kid"] = RsaKid };
        var signingInput = $"{Encode(header)}.{Encode(ClaimsFor(client, resource))}";
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(RsaPublicKeyPem), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(mac)}";
    }

    /// <summary>
    /// Exactly these header and claims texts, RS256-signed with the provider's current key: what this provider would
    /// issue if it put that content into a token (repeated members and unpaired surrogates included, which no JSON
    /// library writes). The gateway trusts the signature, so a refusal can only come from the content.
    /// </summary>
    public string SignWithProviderKey(string header, string claims)
    {
        var signingInput = $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims))}";
        return $"{signingInput}.{Base64Url.EncodeToString(_rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    /// <summary>The claims a real access token of <paramref name="client"/> for <paramref name="resource"/> carries (see the type's summary).</summary>
    public JsonObject ClaimsOf(string client, string resource) => ClaimsFor(client, resource);

    /// <summary>An unsecured JWT (<c>alg: none</c>, empty signature: "header.payload.") with a real token's claims.</summary>
    public string ForgeUnsigned(string resource, string client = "analyst")
    {
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "at+jwt" };
        return $"{Encode(header)}.{Encode(ClaimsFor(client, resource))}.";
    }

    /// <summary>
    /// Rewrites one payload claim and keeps header and signature as they were. By default escalates
    /// <c>groups</c> to ["supervisors","approvers","auditors"]; any other claim defaults to "mallory".
    /// </summary>
    public static string Tamper(string token, string claim = "groups", JsonNode? value = null)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload[claim] = value ?? (claim == "groups" ? new JsonArray("supervisors", "approvers", "auditors") : JsonValue.Create("mallory"));
        parts[1] = Encode(payload);
        return string.Join('.', parts);
    }

    /// <summary>Header and payload of a compact JWS, not verified.</summary>
    public static (JsonObject Header, JsonObject Payload) Decode(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new FormatException($"Not a compact JWS: {parts.Length} parts.");
        }

        return (JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject(), JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _rsa.Dispose();
        _ec.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string KeysPath => Path.Combine(_directory.FullName, "jwks.json");

    private string ClientsPath => Path.Combine(_directory.FullName, "clients.json");

    private string PeoplePath => Path.Combine(_directory.FullName, "people.json");

    private async Task LaunchAsync()
    {
        await File.WriteAllTextAsync(KeysPath, new JsonObject { ["keys"] = new JsonArray([.. AllKeys().Select(k => (JsonNode)k.DeepClone())]) }.ToJsonString());
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = Port.ToString(),
            ["KEYS"] = KeysPath,
            ["CLIENTS"] = ClientsPath,
            ["USERS"] = PeoplePath,
            ["TOKEN_TTL"] = ((int)_tokenTtl.TotalSeconds).ToString(),
        };

        // The port is the one the tokens' issuer names: after a restart it may still be briefly held, so retry.
        for (var attempt = 1; ; attempt++)
        {
            _process = ChildProcess.Start(Peers.Node22, [Script], environment, Path.GetDirectoryName(Script));
            try
            {
                await WaitUntilServingAsync(TimeSpan.FromSeconds(30));
                return;
            }
            catch (InvalidOperationException) when (attempt < 5 && _process.HasExited && _process.Output.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                await StopAsync();
                await Task.Delay(500);
            }
        }
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var expectedKids = AllKeys().Select(k => (string)k["kid"]!).ToHashSet();
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"oidc-provider exited with {_process.ExitCode}:\n{_process.Output}");
            }

            try
            {
                var discovery = await DiscoveryAsync();
                if ((string?)discovery["issuer"] != IssuerIdentifier)
                {
                    throw new InvalidOperationException($"Discovery names issuer {discovery["issuer"]}, expected {IssuerIdentifier}.");
                }

                var kids = (await JwksAsync())["keys"]!.AsArray().Select(k => (string)k!["kid"]!).ToHashSet();
                if (kids.SetEquals(expectedKids))
                {
                    return;
                }

                last = $"JWKS has kids {string.Join(", ", kids)}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"oidc-provider did not serve discovery and the expected JWKS within {timeout.TotalSeconds} s ({last}):\n{Output}");
    }

    private async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    private static HttpClient NewHttpClient() => new() { Timeout = TimeSpan.FromSeconds(10) };

    private JsonObject ClaimsFor(string client, string resource)
    {
        var c = _clients.FirstOrDefault(x => x.Id == client) ?? throw new ArgumentException($"Unknown client '{client}'.", nameof(client));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["groups"] = new JsonArray([.. c.Groups.Select(g => (JsonNode)g)]),
            ["amr"] = new JsonArray([.. c.Amr.Select(a => (JsonNode)a)]),
        };
        if (c.Acr is not null)
        {
            claims["acr"] = c.Acr;
        }

        if (c.AuthAgeSeconds is { } age)
        {
            claims["auth_time"] = now - age;
        }

        claims["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        claims["sub"] = c.Subject;
        claims["iat"] = now;
        claims["exp"] = now + (long)_tokenTtl.TotalSeconds;
        claims["client_id"] = c.Id;
        claims["iss"] = IssuerIdentifier;
        claims["aud"] = resource;
        return claims;
    }

    private string ClientsJson() => new JsonArray([.. _clients.Select(c => (JsonNode)new JsonObject
    {
        ["client_id"] = c.Id,
        ["client_secret"] = c.Secret,
        ["sub"] = c.Subject,
        ["groups"] = new JsonArray([.. c.Groups.Select(g => (JsonNode)g)]),
        ["amr"] = new JsonArray([.. c.Amr.Select(a => (JsonNode)a)]),
        ["acr"] = c.Acr,
        ["auth_age"] = c.AuthAgeSeconds,
    }).Concat(_browserClients.Select(c => (JsonNode)new JsonObject
    {
        ["client_id"] = c.Id,
        ["redirect_uris"] = new JsonArray(c.RedirectUri.AbsoluteUri),
    }))]).ToJsonString();

    private string PeopleJson() => new JsonArray([.. _people.Select(p => (JsonNode)new JsonObject
    {
        ["username"] = p.Username,
        ["password"] = p.Password,
        ["name"] = p.Name,
        ["groups"] = new JsonArray([.. p.Groups.Select(g => (JsonNode)g)]),
    })]).ToJsonString();

    private IEnumerable<JsonObject> AllKeys() => CurrentKeys().Concat(_previousKeys);

    private JsonObject[] CurrentKeys()
    {
        var rsa = _rsa.ExportParameters(includePrivateParameters: true);
        var ec = _ec.ExportParameters(includePrivateParameters: true);
        return
        [
            new JsonObject
            {
                ["kty"] = "RSA", ["kid"] = RsaKid, ["alg"] = "RS256", ["use"] = "sig",
                ["n"] = B64(rsa.Modulus), ["e"] = B64(rsa.Exponent), ["d"] = B64(rsa.D), ["p"] = B64(rsa.P), ["q"] = B64(rsa.Q),
                ["dp"] = B64(rsa.DP), ["dq"] = B64(rsa.DQ), ["qi"] = B64(rsa.InverseQ),
            },
            new JsonObject
            {
                ["kty"] = "EC", ["kid"] = EcKid, ["alg"] = "ES256", ["use"] = "sig", ["crv"] = "P-256",
                ["x"] = B64(ec.Q.X), ["y"] = B64(ec.Q.Y), ["d"] = B64(ec.D),
            },
        ];
    }

    private static JsonObject PublicPart(JsonObject key)
    {
        var publicMembers = new HashSet<string> { "kty", "kid", "alg", "use", "n", "e", "crv", "x", "y" };
        return new JsonObject(key.Where(p => publicMembers.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
    }

    private static (RSA Rsa, ECDsa Ec, string RsaKid, string EcKid) NewKeys() =>
        (RSA.Create(2048), ECDsa.Create(ECCurve.NamedCurves.nistP256),
         $"rsa-{RandomNumberGenerator.GetHexString(12, lowercase: true)}", $"ec-{RandomNumberGenerator.GetHexString(12, lowercase: true)}");

    private static string B64(byte[]? bytes) => Base64Url.EncodeToString(bytes ?? throw new InvalidOperationException("Key parameter missing."));

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
