using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Identity.Tokens;

namespace Proctor.Identity.Tests.Tokens;

/// <summary>
/// Hostile bearer tokens never make the authenticator throw: each is refused with 401 invalid_token, the
/// expected reason and a description that quotes nothing from the token; validly signed tokens with unusual
/// but legal content pass (hard negatives). Tokens are signed with the issuer's real key, so a refusal can
/// only come from their content.
/// </summary>
public sealed class HostileTokenTests : IDisposable
{
    private const string Issuer = "https://login.example.com";
    private const string Audience = "https://gateway.example.com/mcp";

    private static readonly IdentitySettings Settings = new(new Uri(Audience), [new Uri(Issuer)], "groups", ["RS256", "ES256"], TimeSpan.FromSeconds(30));

    /// <summary>One key for the class: generating a 2048-bit key per test took seconds each on a loaded machine.</summary>
    private static readonly RSA Key = RSA.Create(2048);
    private readonly KeyServer _server;
    private readonly JwtAuthenticator _authenticator;

    public HostileTokenTests()
    {
        _server = new KeyServer(Issuer, KeyServer.JwksOf(Key, "k1"));
        _authenticator = new JwtAuthenticator(Settings, new HttpClient(_server));
    }

    /// <summary>Strings a description must never contain: the mutated values of <see cref="TokenMutations.States"/>.</summary>
    private static readonly string[] Echoes = ["mallory", "m\u00f6ll", "forged", "aaaaaaaaaa", "NaN", "1700000000", "crimson", "\u4e2d"];

    [Fact]
    public async Task Authenticate_EveryMemberInEveryState_RefusedWithItsReasonOrAccepted()
    {
        var now = DateTimeOffset.UtcNow;
        var expect = new TokenMutations.Expect(Issuer, Audience, "RS256", "groups", now, Settings.ClockSkew);
        var mismatches = new List<string>();
        var cases = TokenMutations.All(Header(), Payload(now), expect).ToList();

        foreach (var test in cases)
        {
            var token = KeyServer.Sign(Key, test.Header, test.Payload);
            AuthenticationOutcome outcome;
            try
            {
                outcome = await _authenticator.AuthenticateAsync(token, CancellationToken.None);
            }
            catch (Exception ex)
            {
                mismatches.Add($"{test}: threw {ex.GetType().Name}: {ex.Message}");
                continue;
            }

            if (Mismatch(test, outcome, token) is { } problem)
            {
                mismatches.Add($"{test}: {problem}");
            }
        }

        Assert.True(cases.Count > 300, $"only {cases.Count} cases generated");
        Assert.Contains(cases, c => c.Accepted);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    public static TheoryData<string, string> Shapes() => new()
    {
        { "a.b.c", AuthenticationFailures.MalformedToken },
        { "..", AuthenticationFailures.MalformedToken },
        { "a..c", AuthenticationFailures.MalformedToken },
        { ".b.c", AuthenticationFailures.MalformedToken },
        { "a.b.c.d", AuthenticationFailures.MalformedToken },
        { "a.b.c.d.e", AuthenticationFailures.MalformedToken },
        { "a.b.c.d.e.f", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.e30", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9=.e30.c2ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.e30=.c2ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.e3+0.c2ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.e3/0.c2ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.e30.c2ln ", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.e\u00e930.c2ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.e30.c2\u0000ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.e30.c2\r\nln", AuthenticationFailures.MalformedToken },
        { "a.e30.c2ln", AuthenticationFailures.MalformedToken },
        { "e30.e30.c2ln", AuthenticationFailures.MalformedToken },
        { "W10.e30.c2ln", AuthenticationFailures.MalformedToken },
        { "bnVsbA.e30.c2ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.W10.c2ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.MQ.c2ln", AuthenticationFailures.MalformedToken },
        { "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln", AuthenticationFailures.NoSubject },
        { "eyJhbGciOiJub25lIn0.e30.", AuthenticationFailures.AlgorithmNotAllowed },
        { "eyJhbGciOiJSUzI1NiJ9.e30.", AuthenticationFailures.MalformedToken },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Authenticate_NotACompactJws_RefusedAsMalformedWithoutFetching(string token, string reason)
    {
        var outcome = await _authenticator.AuthenticateAsync(token, CancellationToken.None);

        Assert.Equal((401, "invalid_token", reason), (outcome.Status, outcome.Error, outcome.Reason));
        Assert.Equal(0, _server.Requests);
    }

    /// <summary>
    /// Segments of two and three characters whose last character carries low bits that base64url cannot (every such
    /// last character, in the header, the claims and the signature), beside the canonical ones (hard negatives).
    /// </summary>
    [Fact]
    public async Task Authenticate_SegmentWithStrayLowBits_RefusedAsMalformedNeverThrown()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var valid = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln".Split('.');
        var failures = new List<string>();
        foreach (var length in new[] { 2, 3 })
        {
            foreach (var last in alphabet)
            {
                var segment = new string('e', length - 1) + last;
                var canonical = (alphabet.IndexOf(last) & (length == 2 ? 0b1111 : 0b11)) == 0;
                for (var part = 0; part < 3; part++)
                {
                    var parts = (string[])valid.Clone();
                    parts[part] = segment;
                    var token = string.Join('.', parts);
                    try
                    {
                        var outcome = await _authenticator.AuthenticateAsync(token, CancellationToken.None);
                        if (outcome.Status != 401 || (!canonical && part < 2 && outcome.Reason != AuthenticationFailures.MalformedToken))
                        {
                            failures.Add($"{token}: {outcome.Status} {outcome.Reason}");
                        }
                    }
                    catch (Exception ex)
                    {
                        failures.Add($"{token}: threw {ex.GetType().Name}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    public async Task Authenticate_OversizedToken_RefusedWithoutHashingOrFetching(int extraCharacters)
    {
        var token = KeyServer.Sign(Key, """{"alg":"RS256","kid":"k1"}""", $$"""{"iss":"{{Issuer}}","sub":"{{new string('a', CompactTokenReader.MaxTokenChars + extraCharacters)}}"}""");

        var outcome = await _authenticator.AuthenticateAsync(token, CancellationToken.None);

        Assert.Equal(AuthenticationFailures.TokenTooLarge, outcome.Reason);
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task Authenticate_TokenJustUnderTheSizeLimit_Accepted()
    {
        var now = DateTimeOffset.UtcNow;
        var payload = Payload(now).Select(m => m.Name == "jti" ? (m.Name, Raw: $"\"{new string('j', 11_000)}\"") : m).ToList();
        var token = KeyServer.Sign(Key, Object(Header()), Object(payload));

        Assert.InRange(token.Length, 14_000, CompactTokenReader.MaxTokenChars);
        Assert.True((await _authenticator.AuthenticateAsync(token, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Authenticate_WithoutSubject_TwoClientsNoLongerShareOneIdentity()
    {
        var now = DateTimeOffset.UtcNow;
        var withoutSub = Payload(now).Where(m => m.Name != "sub").ToList();

        var outcome = await _authenticator.AuthenticateAsync(KeyServer.Sign(Key, Object(Header()), Object(withoutSub)), CancellationToken.None);

        Assert.Equal((401, AuthenticationFailures.NoSubject), (outcome.Status, outcome.Reason));
        Assert.Contains("RFC 9068", outcome.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_CriticalHeaderNamingAnUnknownExtension_Refused()
    {
        var now = DateTimeOffset.UtcNow;
        var header = """{"alg":"RS256","kid":"k1","crit":["urn:example:unknown"],"urn:example:unknown":true}""";

        var outcome = await _authenticator.AuthenticateAsync(KeyServer.Sign(Key, header, Object(Payload(now))), CancellationToken.None);

        Assert.Equal(AuthenticationFailures.UnsupportedCriticalHeader, outcome.Reason);
        Assert.Contains("RFC 7515 §4.1.11", outcome.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_Baseline_AcceptedWithTheClaimsItCarries()
    {
        var now = DateTimeOffset.UtcNow;

        var outcome = await _authenticator.AuthenticateAsync(KeyServer.Sign(Key, Object(Header()), Object(Payload(now))), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Description);
        var identity = outcome.Identity!;
        Assert.Equal((Issuer, "alice", "analyst-app", "urn:mfa"), (identity.Issuer, identity.Subject, identity.ClientId, identity.AuthenticationContext));
        Assert.Equal(["analysts"], identity.Groups);
        Assert.Equal(["pwd", "mfa"], identity.AuthenticationMethods);
        Assert.Equal(["mcp:read", "mcp:write"], identity.Scopes);
        Assert.Equal(now.ToUnixTimeSeconds() - 120, identity.AuthenticatedAt!.Value.ToUnixTimeSeconds());
    }

    private static string? Mismatch(TokenMutations.Case test, AuthenticationOutcome outcome, string token)
    {
        if (test.Accepted)
        {
            return outcome.Succeeded ? null : $"expected accepted, refused {outcome.Status} {outcome.Reason}: {outcome.Description}";
        }

        if (outcome.Succeeded)
        {
            return $"expected {test.RefusedFor}, accepted";
        }

        if ((outcome.Status, outcome.Error, outcome.Reason) != (401, "invalid_token", test.RefusedFor))
        {
            return $"expected 401 invalid_token {test.RefusedFor}, got {outcome.Status} {outcome.Error} {outcome.Reason}: {outcome.Description}";
        }

        var description = outcome.Description ?? "";
        var segments = token.Split('.');
        return Echoes.Concat(segments).FirstOrDefault(echo => description.Contains(echo, StringComparison.Ordinal)) is { } echoed
            ? $"the description quotes the token ('{echoed[..Math.Min(20, echoed.Length)]}'): {description}"
            : null;
    }

    private static List<(string Name, string Raw)> Header() => [("alg", "\"RS256\""), ("typ", "\"at+jwt\""), ("kid", "\"k1\"")];

    private static List<(string Name, string Raw)> Payload(DateTimeOffset now) =>
    [
        ("iss", $"\"{Issuer}\""),
        ("sub", "\"alice\""),
        ("aud", $"\"{Audience}\""),
        ("exp", Seconds(now.AddMinutes(10))),
        ("nbf", Seconds(now.AddMinutes(-1))),
        ("iat", Seconds(now.AddMinutes(-1))),
        ("auth_time", Seconds(now.AddMinutes(-2))),
        ("client_id", "\"analyst-app\""),
        ("acr", "\"urn:mfa\""),
        ("amr", "[\"pwd\",\"mfa\"]"),
        ("groups", "[\"analysts\"]"),
        ("scope", "\"mcp:read mcp:write\""),
        ("jti", $"\"{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12))}\""),
    ];

    private static string Seconds(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Object(IEnumerable<(string Name, string Raw)> members) =>
        "{" + string.Join(",", members.Select(m => $"\"{m.Name}\":{m.Raw}")) + "}";

    public void Dispose() => _server.Dispose();
}
