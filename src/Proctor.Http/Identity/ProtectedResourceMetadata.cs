using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration;

namespace Proctor.Http.Identity;

/// <summary>
/// RFC 9728 OAuth 2.0 Protected Resource Metadata at <c>/.well-known/oauth-protected-resource</c> and
/// its path-suffixed forms (<c>…/mcp</c>, <c>…/mcp/{server}</c>): the gateway's canonical resource URI
/// and the authorization servers whose tokens it accepts. Every route is one resource (one audience).
/// </summary>
internal sealed class ProtectedResourceMetadata(IdentitySettings? settings)
{
    public const string Path = "/.well-known/oauth-protected-resource";

    public static string UrlFor(HttpRequest request) => $"{request.Scheme}://{request.Host}{Path}{request.Path}";

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
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "max-age=300";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(document), context.RequestAborted).ConfigureAwait(false);
    }
}
