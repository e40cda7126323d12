using Microsoft.AspNetCore.Http;
using Proctor.Configuration;
using Proctor.Http.Mcp;
using Proctor.Identity.Tokens;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;

namespace Proctor.Http.Identity;

/// <summary>
/// Every MCP request is authenticated (a session id never is authentication): a bearer token in the
/// Authorization header, verified by <see cref="JwtAuthenticator"/>. Refusals follow the MCP
/// authorization spec: 401 with <c>WWW-Authenticate: Bearer resource_metadata="…"</c> (RFC 9728) so
/// clients can discover the authorization server. Without an <c>identity:</c> section every caller is
/// anonymous, which the gateway logs at start.
/// </summary>
internal sealed class BearerAuthentication(IdentitySettings? settings, JwtAuthenticator? authenticator)
{
    /// <summary>Sets the verified caller, or writes the refusal and returns false.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext context)
    {
        if (settings is null || authenticator is null)
        {
            return true;
        }

        if (context.Request.Query.ContainsKey("access_token"))
        {
            await RefuseAsync(context, 401, "invalid_request", "Tokens in the query string are refused (they end up in logs and browser history); send Authorization: Bearer <token>.").ConfigureAwait(false);
            return false;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            await RefuseAsync(context, 401, null, "Authentication required: send Authorization: Bearer <access token> issued for this gateway; the WWW-Authenticate header names where to get one.").ConfigureAwait(false);
            return false;
        }

        var outcome = await authenticator.AuthenticateAsync(header["Bearer ".Length..].Trim(), context.RequestAborted).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            await RefuseAsync(context, outcome.Status, outcome.Error, outcome.Description!).ConfigureAwait(false);
            return false;
        }

        var identity = outcome.Identity!;
        context.Items[McpEndpoint.CallerKey] = new Caller(identity.Subject, "oidc", context.Connection.RemoteIpAddress, null, "")
        {
            Issuer = identity.Issuer,
            Groups = identity.Groups,
            AuthenticationMethods = identity.AuthenticationMethods,
            AuthenticationContext = identity.AuthenticationContext,
            AuthenticatedAt = identity.AuthenticatedAt,
        };
        return true;
    }

    private async Task RefuseAsync(HttpContext context, int status, string? error, string description)
    {
        var challenge = $"Bearer resource_metadata=\"{ProtectedResourceMetadata.UrlFor(settings!, context.Request)}\"";
        if (error is not null)
        {
            challenge += $", error=\"{error}\", error_description=\"{description.Replace("\"", "'", StringComparison.Ordinal)}\"";
        }

        context.Response.Headers.WWWAuthenticate = challenge;
        await HttpReplies.ErrorAsync(context, status, JsonRpcErrorCodes.Refused, description).ConfigureAwait(false);
    }
}
