using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;

namespace Proctor.Http.Identity;

/// <summary>
/// RFC 9728 OAuth 2.0 Protected Resource Metadata at <c>/.well-known/oauth-protected-resource</c> and
/// its path-suffixed forms (<c>…/mcp</c>, <c>…/mcp/{server}</c>): the gateway's canonical resource URI
/// and the authorization servers whose tokens it accepts. Every route is one resource (one audience).
/// </summary>
internal sealed class ProtectedResourceMetadata(IdentitySettings? settings)
{
    public const string Path = "/.well-known/oauth-protected-resource";

    /// <summary>
    /// Where a client finds the metadata for the path it called. Built on the configured canonical URI,
    /// not the request's scheme and Host: behind a TLS-terminating load balancer those say http and an
    /// internal name, and the Host header is the client's to choose.
    /// </summary>
    public static string UrlFor(IdentitySettings settings, HttpRequest request) =>
        $"{settings.Resource.GetLeftPart(UriPartial.Authority)}{Path}{request.Path}";

    public async Task WriteAsync(HttpContext context)
    {
        if (settings is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var issuers = new JsonArray();
        foreach (var issuer in settings.Issuers)
        {
            issuers.Add(issuer.OriginalString);
        }

        var document = new JsonObject
        {
            ["resource"] = settings.Resource.OriginalString,
            ["authorization_servers"] = issuers,
            ["bearer_methods_supported"] = new JsonArray("header"),
            ["resource_name"] = "Proctor MCP gateway",
        };
        if (settings.ScopesSupported.Count > 0)
        {
            var scopes = new JsonArray();
            foreach (var scope in settings.ScopesSupported)
            {
                scopes.Add(scope);
            }

            document["scopes_supported"] = scopes;
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "max-age=300";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(document), context.RequestAborted).ConfigureAwait(false);
    }
}
