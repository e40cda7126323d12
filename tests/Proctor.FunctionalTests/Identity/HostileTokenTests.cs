using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Identity;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tests.Tokens;

namespace Proctor.FunctionalTests.Identity;

/// <summary>
/// Hostile credentials against the real gateway and a real OpenID provider: every header parameter and claim
/// in every bad state (signed with the provider's own key), tokens that are not compact JWS at all, malformed
/// agent keys, and the Authorization header in every state. Each must be a 401 with a WWW-Authenticate
/// challenge and a description that quotes nothing back (never a 500, never a stack trace); each refusal is
/// logged without a byte of the credential and counted by reason; good tokens with unusual content pass.
/// </summary>
public sealed class HostileTokenTests(HostileTokenTests.LoggedGateway fixture) : IClassFixture<HostileTokenTests.LoggedGateway>
{
    /// <summary>After authentication this answers 404 (no such session): accepted credentials are told apart from refused ones without opening anything.</summary>
    private const string Ping = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";

    private CapturedLog Log => fixture.Log;

    private List<string> Sent => fixture.Sent;

    private OidcProvider Provider => fixture.Provider;

    private GatewayUnderTest Gateway => fixture.Gateway;

    private string Resource => fixture.Resource;

    private Uri Endpoint => Gateway.Mcp("everything");

    [Fact]
    public async Task EveryClaimAndHeaderParameterInEveryState_RefusedWithItsReasonOrAccepted_NeverA500()
    {
        var baseline = Provider.ClaimsOf("analyst", Resource);
        var header = new List<(string, string)> { ("alg", "\"RS256\""), ("typ", "\"at+jwt\""), ("kid", $"\"{Provider.RsaKid}\"") };
        var payload = baseline.Select(claim => (claim.Key, claim.Value!.ToJsonString())).ToList();
        payload.Add(("nbf", (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        payload.Add(("scope", "\"mcp:read mcp:write\""));
        var expect = new TokenMutations.Expect(Provider.IssuerIdentifier, Resource, "RS256", "groups", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1));
        var mismatches = new List<string>();
        var cases = TokenMutations.All(header, payload, expect).ToList();

        foreach (var test in cases)
        {
            var token = Provider.SignWithProviderKey(test.Header, test.Payload);
            var (status, challenge, message) = await SendAsync($"Bearer {token}", token);
            var expected = test.Accepted ? HttpStatusCode.NotFound : HttpStatusCode.Unauthorized;
            if (status != expected || (!test.Accepted && !challenge.Contains("error=\"invalid_token\"", StringComparison.Ordinal)))
            {
                mismatches.Add($"{test}: expected {(int)expected} {test.RefusedFor}, got {(int)status} {challenge} {message}");
            }
        }

        Assert.True(cases.Count > 300, $"only {cases.Count} cases");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        await AssertNothingSentWasLoggedAsync();
    }

    public static TheoryData<string, string> NotJws() => new()
    {
        { "a.b.c", AuthenticationFailures.MalformedToken },
        { "a.b.c.d.e", AuthenticationFailures.MalformedToken },
        { "..", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.e30=.c2ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9." + new string('A', 20_000) + ".c2ln", AuthenticationFailures.TokenTooLarge },
        { "this-is-not-a-token", AuthenticationFailures.MalformedToken },
        { "prk_", AuthenticationFailures.AgentKeyMalformed },
        { "prk_tooShort", AuthenticationFailures.AgentKeyMalformed },
        { AgentKeyFormat.NewKey() + "x", AuthenticationFailures.AgentKeyMalformed },
        { AgentKeyFormat.NewKey(), AuthenticationFailures.AgentKeyUnknown },
    };

    [Theory]
    [MemberData(nameof(NotJws))]
    public async Task CredentialThatIsNoJwtOrAKnownKey_401WithReasonLoggedAndCounted(string credential, string reason)
    {
        var (status, challenge, message) = await SendAsync($"Bearer {credential}", credential);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        if (credential.Length > 12)
        {
            Assert.DoesNotContain(credential[4..12], message, StringComparison.Ordinal);
        }

        Assert.Contains(Log.Lines, line => line.Contains("[2251]", StringComparison.Ordinal) && line.Contains($"({reason})", StringComparison.Ordinal));
        await MetricsScrape.WaitForAsync(Gateway, $"proctor_auth_failures_total\\{{[^}}]*reason=\"{reason}\"\\}} [1-9]");
        await AssertNothingSentWasLoggedAsync();
    }

    [Fact]
    public async Task AuthorizationHeaderInEveryState_401OrAccepted_NeverA500()
    {
        var valid = await Provider.TokenAsync("analyst", Resource);
        var cases = new (string Name, byte[][] Lines, HttpStatusCode Expected)[]
        {
            ("absent", [], HttpStatusCode.Unauthorized),
            ("empty", [RawHttp.Line("Authorization: ")], HttpStatusCode.Unauthorized),
            ("scheme only", [RawHttp.Line("Authorization: Bearer")], HttpStatusCode.Unauthorized),
            ("scheme and spaces", [RawHttp.Line("Authorization: Bearer    ")], HttpStatusCode.Unauthorized),
            ("basic", [RawHttp.Line("Authorization: Basic YWxpY2U6c2VjcmV0")], HttpStatusCode.Unauthorized),
            ("lower-case scheme", [RawHttp.Line($"Authorization: bearer {valid}")], HttpStatusCode.NotFound),
            ("upper-case scheme", [RawHttp.Line($"Authorization: BEARER {valid}")], HttpStatusCode.NotFound),
            ("two spaces", [RawHttp.Line($"Authorization: Bearer  {valid}")], HttpStatusCode.NotFound),
            ("trailing spaces", [RawHttp.Line($"Authorization: Bearer {valid}   ")], HttpStatusCode.NotFound),
            ("tab separator", [RawHttp.Line($"Authorization: Bearer\t{valid}")], HttpStatusCode.Unauthorized),
            ("token and more", [RawHttp.Line($"Authorization: Bearer {valid} extra")], HttpStatusCode.Unauthorized),
            ("two tokens, one line", [RawHttp.Line($"Authorization: Bearer {valid}, Bearer {valid}")], HttpStatusCode.Unauthorized),
            ("two headers", [RawHttp.Line($"Authorization: Bearer {valid}"), RawHttp.Line($"Authorization: Bearer {valid}")], HttpStatusCode.Unauthorized),
            ("good then garbage header", [RawHttp.Line($"Authorization: Bearer {valid}"), RawHttp.Line("Authorization: Bearer a.b.c")], HttpStatusCode.Unauthorized),
            ("non-ASCII bytes", [[.. RawHttp.Line("Authorization: Bearer "), 0xC3, 0xA9, .. RawHttp.Line(valid)]], HttpStatusCode.Unauthorized),
            ("Latin-1 byte", [[.. RawHttp.Line("Authorization: Bearer "), 0xE9, .. RawHttp.Line(valid)]], HttpStatusCode.Unauthorized),
            ("DEL byte", [[.. RawHttp.Line("Authorization: Bearer "), 0x7F, .. RawHttp.Line(valid)]], HttpStatusCode.Unauthorized),
            ("NUL byte", [[.. RawHttp.Line("Authorization: Bearer "), 0x00, .. RawHttp.Line(valid)]], HttpStatusCode.BadRequest),
            ("token in the query too", [RawHttp.Line($"Authorization: Bearer {valid}")], HttpStatusCode.Unauthorized),
        };

        var failures = new List<string>();
        foreach (var (name, lines, expected) in cases)
        {
            var uri = name == "token in the query too" ? new Uri(Endpoint + "?access_token=x") : Endpoint;
            var (status, head, body) = await RawHttp.PostAsync(uri, [.. lines, RawHttp.Line("Content-Type: application/json"), RawHttp.Line("Accept: application/json, text/event-stream"), RawHttp.Line("Mcp-Session-Id: no-such-session")], Encoding.UTF8.GetBytes(Ping));
            if (status != (int)expected && !(expected == HttpStatusCode.Unauthorized && status == 400))
            {
                failures.Add($"{name}: expected {(int)expected}, got {status}: {head} {body}");
            }

            if (status >= 500 || body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
            {
                failures.Add($"{name}: {status} {body}");
            }

            if (status == 401 && !head.Contains("WWW-Authenticate: Bearer resource_metadata=", StringComparison.Ordinal))
            {
                failures.Add($"{name}: 401 without the challenge: {head}");
            }
        }

        Sent.Add(valid);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertNothingSentWasLoggedAsync();
    }

    [Fact]
    public async Task NoCredentials_LoggedAtDebugOnly_AndCounted()
    {
        var (response, _) = await RawMcp.PostAsync(Endpoint, Ping);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(Log.Lines, line => line.StartsWith("Debug ", StringComparison.Ordinal) && line.Contains("[2250]", StringComparison.Ordinal) && line.Contains("127.0.0.1", StringComparison.Ordinal));
        await MetricsScrape.WaitForAsync(Gateway, "proctor_auth_failures_total\\{[^}]*reason=\"no_credentials\"\\} [1-9]");
    }

    [Fact]
    public async Task Readiness_IssuerKeysFetched_ReadyWithTheIssuerListed()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(Gateway.BaseAddress, "/readyz"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", (string?)body["identity"]!["issuers"]![Provider.IssuerIdentifier]!["keys"]);
    }

    /// <summary>Posts a ping with a session id no one has; returns the status, the challenge and the error message.</summary>
    private async Task<(HttpStatusCode Status, string Challenge, string Message)> SendAsync(string authorization, string credential)
    {
        Sent.Add(credential);
        var (response, body) = await RawMcp.PostAsync(Endpoint, Ping, new Dictionary<string, string> { ["Authorization"] = authorization, ["Mcp-Session-Id"] = "no-such-session" });
        var message = (string?)body?["error"]?["message"] ?? "";
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {credential[..Math.Min(40, credential.Length)]}…: {message}");
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        return (response.StatusCode, response.Headers.WwwAuthenticate.ToString(), message);
    }

    /// <summary>No log line holds any segment of any credential sent (12 characters or more), nor a whole short one.</summary>
    private async Task AssertNothingSentWasLoggedAsync()
    {
        await Task.Yield();
        var lines = Log.Lines.ToList();
        Assert.NotEmpty(lines);
        foreach (var credential in Sent)
        {
            var pieces = credential.Split('.').Where(p => p.Length >= 12).Append(credential.Length >= 12 ? credential[^12..] : credential);
            foreach (var piece in pieces.Where(p => p.Length >= 8))
            {
                Assert.DoesNotContain(lines, line => line.Contains(piece, StringComparison.Ordinal));
            }
        }
    }

    /// <summary>One provider and one gateway logging at Debug for the class; every credential sent is kept to scan the log for.</summary>
    public sealed class LoggedGateway : IAsyncLifetime
    {
        internal CapturedLog Log { get; } = new();

        internal List<string> Sent { get; } = [];

        internal OidcProvider Provider { get; private set; } = null!;

        internal GatewayUnderTest Gateway { get; private set; } = null!;

        internal string Resource { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Peers.RequireInstalled();
            Provider = await OidcProvider.StartAsync();
            (Gateway, Resource) = await IdentityGateway.StartGatewayTrustingAsync(Provider, log: Log, logLevel: "Debug");
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }
}
