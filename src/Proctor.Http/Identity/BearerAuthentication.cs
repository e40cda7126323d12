using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Configuration.Models;
using Proctor.Http.Mcp;
using Proctor.Identity;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;

namespace Proctor.Http.Identity;

/// <summary>
/// Every MCP request is authenticated (a session id never is authentication): a bearer value in the
/// Authorization header, either an agent key (<c>prk_…</c>, checked by <see cref="AgentKeyAuthenticator"/>
/// when <c>identity.agentKeys</c> is on) or a JWT access token (<see cref="JwtAuthenticator"/>). This is the
/// credential logic behind the ASP.NET Core scheme (<see cref="ProctorAuthenticationHandler"/>, decision 0033).
/// Refusals follow the MCP authorization spec: 401 with <c>WWW-Authenticate: Bearer resource_metadata="…"</c>
/// (RFC 9728) so clients can discover the authorization server, and 403 <c>insufficient_scope</c> when a
/// token lacks a scope the addressed upstream requires (RFC 6750 §3.1). Without an <c>identity:</c>
/// section every caller is anonymous, which the gateway logs at start. A verified caller refused for a
/// missing scope is recorded in the ledger (<see cref="IAccessRecorder"/>) and in the call log and metrics.
/// Every refusal is logged (reason, issuer or key id, remote address; never the credential) and counted in
/// <c>proctor_auth_failures_total{reason}</c>.
/// </summary>
internal sealed partial class BearerAuthentication(
    IdentitySettings? settings,
    JwtAuthenticator? authenticator,
    AgentKeyAuthenticator? agentKeys = null,
    IReadOnlyDictionary<string, UpstreamModel>? upstreams = null,
    IAccessRecorder? recorder = null,
    ILogger<BearerAuthentication>? logger = null,
    GatewayMetrics? metrics = null,
    CallTelemetry? calls = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<BearerAuthentication>.Instance;

    /// <summary>The identity section; null when every caller is anonymous.</summary>
    public IdentitySettings? Settings => settings;

    /// <summary>
    /// Checks the request's credential: the verified caller, or the refusal (nothing is written yet; the challenge
    /// writes it). Both null without an identity section: the caller is anonymous.
    /// </summary>
    public async Task<(Caller? Caller, AuthenticationOutcome? Refusal)> AuthenticateAsync(HttpContext context)
    {
        if (settings is null || authenticator is null)
        {
            return (null, null);
        }

        if (context.Request.Query.ContainsKey("access_token"))
        {
            return (null, AuthenticationOutcome.Unauthorized(AuthenticationFailures.TokenInQuery,
                "Tokens in the query string are refused (they end up in logs and browser history); send Authorization: Bearer <token>.") with { Error = "invalid_request" });
        }

        var headers = context.Request.Headers.Authorization;
        if (headers.Count > 1)
        {
            return (null, AuthenticationOutcome.Unauthorized(AuthenticationFailures.MalformedHeader,
                "The request carries more than one Authorization header; send exactly one: Authorization: Bearer <token>."));
        }

        var header = headers.Count == 1 ? headers[0] ?? "" : "";
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        if (bearer.Length == 0)
        {
            // RFC 6750 §3.1: a request without a bearer token gets the challenge but no error code; it is how
            // every client starts the authorization flow, so it is logged at Debug only.
            return (null, NoCredentials);
        }

        var outcome = AgentKeyFormat.LooksLikeAgentKey(bearer)
            ? agentKeys is not null && settings.AgentKeys
                ? await agentKeys.AuthenticateAsync(bearer, context.RequestAborted).ConfigureAwait(false)
                : AuthenticationOutcome.Unauthorized(AuthenticationFailures.AgentKeysDisabled, "Agent keys are not accepted by this gateway (identity.agentKeys is false); use an access token from the identity provider.")
            : await authenticator.AuthenticateAsync(bearer, context.RequestAborted).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return (null, outcome);
        }

        var identity = outcome.Identity!;
        return (new Caller(identity.Subject, identity.Method, context.Connection.RemoteIpAddress, null, "")
        {
            Issuer = identity.Issuer,
            Groups = identity.Groups,
            Scopes = identity.Scopes,
            AuthenticationMethods = identity.AuthenticationMethods,
            AuthenticationContext = identity.AuthenticationContext,
            AuthenticatedAt = identity.AuthenticatedAt,
        }, null);
    }

    /// <summary>The refusal of a request that carried no bearer token at all.</summary>
    public static AuthenticationOutcome NoCredentials { get; } = new(null, 401, null,
        "Authentication required: send Authorization: Bearer <access token> issued for this gateway; the WWW-Authenticate header names where to get one.")
        { Reason = AuthenticationFailures.NoCredentials };

    /// <summary>The scopes the upstream addressed by the route requires; none for the aggregate endpoint and <c>/api</c>.</summary>
    public IReadOnlyList<string> ScopesRequiredBy(string? server) =>
        server is not null && upstreams is not null && upstreams.TryGetValue(server, out var upstream) ? upstream.RequiredScopes : [];

    /// <summary>
    /// The one place an upstream's <c>requiredScopes</c> are checked: null when the caller holds them all, else the
    /// 403 <c>insufficient_scope</c> refusal, already recorded in the ledger and the call metrics.
    /// </summary>
    public async Task<AuthenticationOutcome?> RefuseScopesAsync(Caller caller, string? server)
    {
        var required = ScopesRequiredBy(server);
        if (RequiredScopes.FirstMissing(required, caller.Scopes) is not { } missing)
        {
            return null;
        }

        var description = $"Server '{server}' requires the scope(s) {string.Join(' ', required)}; the token lacks {missing}. Request a token with scope=\"{string.Join(' ', required)}\".";
        await RecordRefusalAsync(new AccessRefusal(caller, server, 403, ReasonCodes.InsufficientScope, description)).ConfigureAwait(false);
        calls?.Record(caller.Subject, server!, MetricLabels.UnreadMethod, null, ReasonCodes.InsufficientScope, TimeSpan.Zero);
        return new AuthenticationOutcome(null, 403, "insufficient_scope", description) { Reason = AuthenticationFailures.InsufficientScope, Source = caller.Issuer };
    }

    /// <summary>
    /// A call the policy refused for want of scopes (<c>policy.insufficient_scope</c>) is answered 403 with the RFC 6750
    /// challenge naming that tool's scopes, the ones in <c>error.data.scopes</c> and no others, so a client can step up
    /// (MCP authorization, "Scope challenge handling"). Returns the status to answer with, or null for any other answer
    /// (and once the answer has started streaming, when headers can no longer be set).
    /// </summary>
    public int? ScopeChallenge(HttpContext context, JsonObject response)
    {
        if (settings is null || context.Response.HasStarted
            || response["error"]?["data"] is not JsonObject data
            || data["reason"]?.GetValue<string>() != ReasonCodes.PolicyInsufficientScope
            || data["scopes"] is not JsonArray { Count: > 0 } scopes)
        {
            return null;
        }

        var description = response["error"]?["message"]?.GetValue<string>() ?? "insufficient scope";
        var scope = string.Join(' ', scopes.Select(s => s?.GetValue<string>()));
        context.Response.Headers.WWWAuthenticate =
            $"Bearer resource_metadata=\"{ProtectedResourceMetadata.UrlFor(settings, context.Request)}\", scope=\"{ChallengeText(scope)}\", error=\"insufficient_scope\", error_description=\"{ChallengeText(description)}\"";
        return StatusCodes.Status403Forbidden;
    }

    /// <summary>The caller is refused either way; a refusal the ledger cannot take is logged instead.</summary>
    private async Task RecordRefusalAsync(AccessRefusal refusal)
    {
        if (recorder is null)
        {
            return;
        }

        try
        {
            await recorder.RefusedAsync(refusal, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RecordingFailedException ex)
        {
            Log.NotRecorded(_logger, refusal.Caller.Subject, refusal.Server ?? "(aggregate)", refusal.ReasonCode, ex.Message);
        }
    }

    /// <summary>Logs and counts the refusal and sets the RFC 9728 challenge; the caller of this writes the body.</summary>
    public BearerRefusal Refuse(HttpContext context, AuthenticationOutcome refusal, IReadOnlyList<string> required)
    {
        // The reasons are constants of a closed set; a value outside it would be a bug, and must not become a new series.
        var reason = refusal.Reason is { } known && AuthenticationFailures.All.Contains(known) ? known : AuthenticationFailures.InvalidToken;
        metrics?.RecordAuthenticationFailure(reason);
        var source = refusal.Source ?? "-";
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "-";
        switch (refusal.Status)
        {
            case 401 when reason == AuthenticationFailures.NoCredentials:
                Log.NoCredentials(_logger, context.Request.Path, remote);
                break;
            case 403:
                Log.ScopeRefused(_logger, reason, source, remote, context.Request.Path, refusal.Description!);
                break;
            case 503:
                Log.CannotCheck(_logger, reason, source, remote, refusal.Description!);
                break;
            default:
                Log.Refused(_logger, reason, source, remote, context.Request.Path, refusal.Description!);
                break;
        }

        var challenge = $"Bearer resource_metadata=\"{ProtectedResourceMetadata.UrlFor(settings!, context.Request)}\"";

        // The scope a client should ask for (MCP authorization, scope selection): what the addressed
        // upstream requires, else what the gateway advertises.
        var scopes = required.Count > 0 ? required : settings!.ScopesSupported;
        if (scopes.Count > 0)
        {
            challenge += $", scope=\"{string.Join(' ', scopes)}\"";
        }

        if (refusal.Error is not null)
        {
            challenge += $", error=\"{refusal.Error}\", error_description=\"{ChallengeText(refusal.Description!)}\"";
        }

        context.Response.Headers.WWWAuthenticate = challenge;
        return new BearerRefusal(refusal.Status, refusal.Error, refusal.Description!);
    }

    /// <summary>
    /// RFC 6750 §3: error_description is limited to printable ASCII without quote and backslash. Anything else would
    /// also make Kestrel refuse to send the header, turning a refusal into a 500; the JSON body keeps the full text.
    /// </summary>
    private static string ChallengeText(string description) => string.Create(description.Length, description, static (span, text) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            var c = text[i];
            span[i] = c switch
            {
                '"' => '\'',
                '\\' => '/',
                < ' ' or > '~' => '?',
                _ => c,
            };
        }
    });

    private static partial class Log
    {
        [LoggerMessage(EventId = 1701, Level = LogLevel.Error, Message = "Refusal of {Subject} on {Server} ({Reason}) could not be recorded in the audit ledger: {Failure}")]
        public static partial void NotRecorded(ILogger logger, string subject, string server, string reason, string failure);

        [LoggerMessage(EventId = 2250, Level = LogLevel.Debug, Message = "Request to {Path} from {Remote} carried no bearer token; answered 401 with the authorization challenge")]
        public static partial void NoCredentials(ILogger logger, string path, string remote);

        [LoggerMessage(EventId = 2251, Level = LogLevel.Warning, Message = "Authentication refused ({Reason}) for {Source} from {Remote} on {Path}: {Description}")]
        public static partial void Refused(ILogger logger, string reason, string source, string remote, string path, string description);

        [LoggerMessage(EventId = 2252, Level = LogLevel.Warning, Message = "Credentials from {Remote} could not be checked ({Reason}, {Source}); answered 503: {Description}")]
        public static partial void CannotCheck(ILogger logger, string reason, string source, string remote, string description);

        [LoggerMessage(EventId = 2253, Level = LogLevel.Warning, Message = "Access refused ({Reason}) for a caller of {Source} from {Remote} on {Path}: {Description}")]
        public static partial void ScopeRefused(ILogger logger, string reason, string source, string remote, string path, string description);
    }
}

/// <summary>Why a request's bearer credential was refused: the HTTP status, the RFC 6750 error code (null when none was sent) and a sentence for the caller.</summary>
internal sealed record BearerRefusal(int Status, string? Error, string Description);
