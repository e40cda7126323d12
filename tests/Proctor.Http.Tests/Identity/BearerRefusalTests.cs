using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Http.Identity;
using Proctor.Identity;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Tests.Identity;

/// <summary>
/// How a refusal leaves the gateway: a challenge Kestrel can always send (RFC 6750 §3 characters only, whatever
/// the description holds), one log line without the credential, and one count by reason.
/// </summary>
public sealed class BearerRefusalTests : IDisposable
{
    private static readonly IdentitySettings Settings = TestIdentity.Settings;

    private readonly OneKeyStore _store = new("batch") { RevokedAt = DateTimeOffset.UtcNow.AddDays(-1) };
    private readonly Lines _log = new();
    private readonly TestMeters _meters = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _reasons = new();
    private readonly BearerAuthentication _bearer;

    public BearerRefusalTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "proctor.auth.failures")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => _reasons.Enqueue((string)tags[0].Value!));
        _listener.Start();
        _bearer = new BearerAuthentication(Settings, new JwtAuthenticator(Settings, new HttpClient(new NoNetwork())), new AgentKeyAuthenticator(_store), null, null, _log, new GatewayMetrics(_meters));
    }

    /// <summary>Agent key names are the operator's to choose and appear in the refusal: every kind of character they could hold.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Enumerable.Range(0, 32).Select(i => (char)i).Concat(['"', '\\', '\u007f', '\u0085', '\u00a0', '\u00e9', '\u2028', '\u202e', '\u4e2d', '\ufeff', '\uffff']))
        {
            data.Add($"bot{c}name");
        }

        data.Add("bot-\ud83d\ude00");
        data.Add("bot-\ud800");
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task RevokedKeyWithAnyNameInTheDescription_ChallengeIsPrintableAscii(string name)
    {
        _store.Name = name;
        var context = Request($"Bearer {_store.Key}");

        Assert.False(await Admission.AdmitAsync(_bearer, context, "bank"));

        var challenge = context.Response.Headers.WWWAuthenticate.ToString();
        Assert.Equal(401, context.Response.StatusCode);
        Assert.All(challenge, c => Assert.InRange(c, ' ', '~'));
        var description = challenge[(challenge.IndexOf("error_description=\"", StringComparison.Ordinal) + "error_description=\"".Length)..^1];
        Assert.DoesNotContain('"', description);
        Assert.DoesNotContain('\\', description);
        Assert.Contains("was revoked", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoAuthorizationHeaders_RefusedAsMalformedHeader()
    {
        var context = Request(null);
        context.Request.Headers.Authorization = new Microsoft.Extensions.Primitives.StringValues([$"Bearer {_store.Key}", $"Bearer {_store.Key}"]);

        Assert.False(await Admission.AdmitAsync(_bearer, context, "bank"));

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal([AuthenticationFailures.MalformedHeader], _reasons);
        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public async Task Refusals_LoggedWithReasonSourceAndAddress_NeverTheCredential()
    {
        var token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2xvZ2luLmV4YW1wbGUuY29tIn0.c2lnbmF0dXJlLWJ5dGVz";
        var unknown = AgentKeyFormat.NewKey();

        foreach (var credential in new[] { token, unknown, _store.Key, "prk_short" })
        {
            await Admission.AdmitAsync(_bearer, Request($"Bearer {credential}"), "bank");
        }

        Assert.Equal([AuthenticationFailures.NoSubject, AuthenticationFailures.AgentKeyUnknown, AuthenticationFailures.AgentKeyRevoked, AuthenticationFailures.AgentKeyMalformed], _reasons);
        Assert.Equal(4, _log.Messages.Count(m => m.Id == 2251));
        Assert.Contains(_log.Messages, m => m.Text.StartsWith("Authentication refused (agent_key_revoked) for ak_1 from 10.1.2.3 on /mcp/bank:", StringComparison.Ordinal));
        foreach (var piece in token.Split('.').Append(unknown[4..]).Append(_store.Key[4..]))
        {
            Assert.DoesNotContain(_log.Messages, m => m.Text.Contains(piece, StringComparison.Ordinal));
        }
    }

    private static DefaultHttpContext Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/mcp/bank";
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.1.2.3");
        context.Response.Body = new MemoryStream();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context;
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    /// <summary>One revoked key whose name the test chooses.</summary>

    private sealed class Lines : ILogger<BearerAuthentication>
    {
        public ConcurrentQueue<(int Id, string Text)> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue((eventId.Id, formatter(state, exception)));
    }

    private sealed class TestMeters : IMeterFactory
    {
        private readonly List<Meter> _created = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _created.Add(meter);
            return meter;
        }

        public void Dispose() => _created.ForEach(m => m.Dispose());
    }
}
