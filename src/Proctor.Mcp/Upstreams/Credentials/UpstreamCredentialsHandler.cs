using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Headers;
using Proctor.Configuration.Models;

namespace Proctor.Mcp.Upstreams.Credentials;

/// <summary>
/// Sits in the gateway's outgoing HTTP pipeline and gives each request to an upstream with
/// <c>oauth</c> configured the gateway's own token as <c>Authorization: Bearer</c>. Requests are
/// marked with <see cref="UpstreamKey"/> by <see cref="HttpMessages.AddConfiguredHeaders"/>; anything
/// unmarked (identity-provider fetches, upstreams without oauth) passes through untouched. The
/// caller's own Authorization header is never on these requests to begin with: upstream requests are
/// built from scratch.
/// </summary>
public sealed class UpstreamCredentialsHandler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<string> UpstreamKey = new("proctor.upstream-oauth");

    private readonly FrozenDictionary<string, ClientCredentialsTokenSource> _sources;

    /// <param name="tokenClient">Sends token requests; it MUST NOT route through this handler.</param>
    public UpstreamCredentialsHandler(IEnumerable<UpstreamModel> upstreams, HttpMessageInvoker tokenClient, TimeProvider? time = null)
    {
        _sources = upstreams.OfType<HttpUpstreamModel>()
            .Where(upstream => upstream.OAuth is not null)
            .ToFrozenDictionary(upstream => upstream.Name, upstream => new ClientCredentialsTokenSource(upstream.Name, upstream.OAuth!, tokenClient, time), StringComparer.Ordinal);
    }

    public ClientCredentialsTokenSource? SourceFor(string upstream) => _sources.GetValueOrDefault(upstream);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(UpstreamKey, out var upstream) || !_sources.TryGetValue(upstream, out var source))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var token = await source.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // Revoked or rotated early: the next request fetches a new token.
            source.Invalidate(token);
        }

        return response;
    }
}
