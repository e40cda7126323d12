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
/// when <c>identity.agentKeys</c> is on) or a JWT access token (<see cref="JwtAuthenticator"/>).
/// Refusals follow the MCP authorization spec: 401 with <c>WWW-Authenticate: Bearer resource_metadata="…"</c>
/// (RFC 9728) so clients can discover the authorization server, and 403 <c>insufficient_scope</c> when a
/// token lacks a scope the addressed upstream requires (RFC 6750 §3.1). Without an <c>identity:</c>
/// section every caller is anonymous, which the gateway logs at start. A verified caller refused for a
/// missing scope is recorded in the ledger (<see cref="IAccessRecorder"/>).
/// </summary>
internal sealed partial class BearerAuthentication(
    IdentitySettings? settings,
    JwtAuthenticator? authenticator,
    AgentKeyAuthenticator? agentKeys = null,
    IReadOnlyDictionary<string, UpstreamModel>? upstreams = null,
    IAccessRecorder? recorder = null,
    ILogger<BearerAuthentication>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<BearerAuthentication>.Instance;

    /// <summary>Sets the verified caller, or writes the refusal (a JSON-RPC error) and returns false.</summary>
    /// <param name="server">The upstream addressed by the route (<c>/mcp/{server}</c>), null for the aggregate endpoint.</param>
    public async Task<bool> AuthenticateAsync(HttpContext context, string? server = null)
    {
        if (await VerifyAsync(context, server).ConfigureAwait(false) is not { } refusal)
        {
            return true;
        }

        await HttpReplies.ErrorAsync(context, refusal.Status, JsonRpcErrorCodes.Refused, refusal.Description).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Sets the verified caller and returns null; or sets the <c>WWW-Authenticate</c> challenge and returns the
    /// refusal, for the endpoint to write in its own format. Without an identity section every caller passes, anonymous.
    /// </summary>
    public async Task<BearerRefusal?> VerifyAsync(HttpContext context, string? server = null)
    {
        if (settings is null || authenticator is null)
        {
            return null;
        }

        var required = server is not null && upstreams is not null && upstreams.TryGetValue(server, out var upstream) ? upstream.RequiredScopes : [];
        if (context.Request.Query.ContainsKey("access_token"))
        {
            return Refuse(context, 401, "invalid_request", "Tokens in the query string are refused (they end up in logs and browser history); send Authorization: Bearer <token>.", required);
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            return Refuse(context, 401, null, "Authentication required: send Authorization: Bearer <access token> issued for this gateway; the WWW-Authenticate header names where to get one.", required);
        }

        var bearer = header["Bearer ".Length..].Trim();
        AuthenticationOutcome outcome;
        if (AgentKeyFormat.LooksLikeAgentKey(bearer))
        {
            outcome = agentKeys is not null && settings.AgentKeys
                ? await agentKeys.AuthenticateAsync(bearer, context.RequestAborted).ConfigureAwait(false)
                : AuthenticationOutcome.Unauthorized("invalid_token", "Agent keys are not accepted by this gateway (identity.agentKeys is false); use an access token from the identity provider.");
        }
        else
        {
            outcome = await authenticator.AuthenticateAsync(bearer, context.RequestAborted).ConfigureAwait(false);
        }

        if (!outcome.Succeeded)
        {
            return Refuse(context, outcome.Status, outcome.Error, outcome.Description!, required);
        }

        var identity = outcome.Identity!;
        var caller = new Caller(identity.Subject, identity.Method, context.Connection.RemoteIpAddress, null, "")
        {
            Issuer = identity.Issuer,
            Groups = identity.Groups,
            Scopes = identity.Scopes,
            AuthenticationMethods = identity.AuthenticationMethods,
            AuthenticationContext = identity.AuthenticationContext,
            AuthenticatedAt = identity.AuthenticatedAt,
        };
        if (RequiredScopes.FirstMissing(required, identity.Scopes) is { } missing)
        {
            var description = $"Server '{server}' requires the scope(s) {string.Join(' ', required)}; the token lacks {missing}. Request a token with scope=\"{string.Join(' ', required)}\".";
            await RecordRefusalAsync(new AccessRefusal(caller, server, 403, ReasonCodes.InsufficientScope, description)).ConfigureAwait(false);
            return Refuse(context, 403, "insufficient_scope", description, required);
        }

        context.Items[McpEndpoint.CallerKey] = caller;
        return null;
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

    private BearerRefusal Refuse(HttpContext context, int status, string? error, string description, IReadOnlyList<string> required)
    {
        var challenge = $"Bearer resource_metadata=\"{ProtectedResourceMetadata.UrlFor(settings!, context.Request)}\"";

        // The scope a client should ask for (MCP authorization, scope selection): what the addressed
        // upstream requires, else what the gateway advertises.
        var scopes = required.Count > 0 ? required : settings!.ScopesSupported;
        if (scopes.Count > 0)
        {
            challenge += $", scope=\"{string.Join(' ', scopes)}\"";
        }

        if (error is not null)
        {
            challenge += $", error=\"{error}\", error_description=\"{description.Replace("\"", "'", StringComparison.Ordinal)}\"";
        }

        context.Response.Headers.WWWAuthenticate = challenge;
        return new BearerRefusal(status, error, description);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1701, Level = LogLevel.Error, Message = "Refusal of {Subject} on {Server} ({Reason}) could not be recorded in the audit ledger: {Failure}")]
        public static partial void NotRecorded(ILogger logger, string subject, string server, string reason, string failure);
    }
}

/// <summary>Why a request's bearer credential was refused: the HTTP status, the RFC 6750 error code (null when none was sent) and a sentence for the caller.</summary>
internal sealed record BearerRefusal(int Status, string? Error, string Description);
