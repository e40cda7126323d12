using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Proctor.Configuration.Models;

namespace Proctor.Mcp.Upstreams.Credentials;

/// <summary>
/// The gateway's own access token for one upstream, from the OAuth 2.0 client-credentials grant
/// (RFC 6749 §4.4). The token is cached and fetched again shortly before it expires; concurrent calls
/// share one fetch. Failures become <see cref="UpstreamCredentialsException"/>s whose message names the
/// upstream, the token endpoint and the OAuth error code, and MUST NOT contain the client secret or a token.
/// </summary>
public sealed class ClientCredentialsTokenSource(string upstream, UpstreamOAuthSettings settings, HttpMessageInvoker http, TimeProvider? time = null)
{
    /// <summary>When the server gives no <c>expires_in</c>: short, so a revoked token does not linger.</summary>
    internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Refresh this long before expiry at most (clock differences, a slow request in flight).</summary>
    internal static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private volatile CachedToken? _token;

    /// <summary>How many tokens were fetched (tests check the cache).</summary>
    public int Fetches { get; private set; }

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && _time.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Value;
        }

        await _fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } fresh && _time.GetUtcNow() < fresh.RefreshAt)
            {
                return fresh.Value;
            }

            var token = await FetchAsync(cancellationToken).ConfigureAwait(false);
            _token = token;
            return token.Value;
        }
        finally
        {
            _fetch.Release();
        }
    }

    /// <summary>Forgets the cached token (the upstream answered 401 to it); the next call fetches a new one.</summary>
    public void Invalidate(string token)
    {
        if (_token?.Value == token)
        {
            _token = null;
        }
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (settings.Scope is { } scope)
        {
            form.Add(new("scope", scope));
        }

        if (settings.Resource is { } resource)
        {
            form.Add(new("resource", resource));
        }

        if (settings.Audience is { } audience)
        {
            form.Add(new("audience", audience));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenUrl);
        if (settings.ClientAuthentication == OAuthClientAuthentication.Basic)
        {
            // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
            var credentials = $"{Uri.EscapeDataString(settings.ClientId)}:{Uri.EscapeDataString(settings.ClientSecret.Reveal())}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
        else
        {
            form.Add(new("client_id", settings.ClientId));
            form.Add(new("client_secret", settings.ClientSecret.Reveal()));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.ParseAdd("application/json");
        var endpoint = settings.TokenUrl.GetLeftPart(UriPartial.Path);
        using var deadline = new CancellationTokenSource(RequestTimeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Failure($"the token endpoint {endpoint} cannot be reached ({e.HttpRequestError}); check upstreams.{upstream}.oauth.tokenUrl and the network");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure($"the token endpoint {endpoint} did not answer within {RequestTimeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var json = TryParse(body);
            if (!response.IsSuccessStatusCode)
            {
                // Only the OAuth error code is repeated: a description could echo what was sent.
                var error = json is { } e && e.TryGetProperty("error", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
                var hint = error is "invalid_client" or "unauthorized_client"
                    ? $"check upstreams.{upstream}.oauth.clientId and clientSecret"
                    : error is "invalid_scope" or "invalid_target" ? $"check upstreams.{upstream}.oauth.scope and resource/audience" : "see the authorization server's logs";
                throw Failure($"the token endpoint {endpoint} refused the client credentials grant ({(int)response.StatusCode}{(error is null ? "" : " " + error)}); {hint}");
            }

            if (json is not { } document
                || !document.TryGetProperty("access_token", out var accessToken) || accessToken.ValueKind != JsonValueKind.String
                || accessToken.GetString() is not { Length: > 0 } value)
            {
                throw Failure($"the token endpoint {endpoint} answered without an access_token");
            }

            if (document.TryGetProperty("token_type", out var type) && type.ValueKind == JsonValueKind.String && !string.Equals(type.GetString(), "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                throw Failure($"the token endpoint {endpoint} issued a '{type.GetString()}' token; only Bearer tokens can be sent");
            }

            var lifetime = document.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt64(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DefaultLifetime;
            var margin = lifetime / 10 < MaxRefreshMargin ? lifetime / 10 : MaxRefreshMargin;
            Fetches++;
            return new CachedToken(value, _time.GetUtcNow() + lifetime - margin);
        }
    }

    private static JsonElement? TryParse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static UpstreamCredentialsException Failure(string reason) => new($"the gateway has no access token for it: {reason}.");

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);
}

/// <summary>The gateway could not get its own credentials for an upstream. The message is safe to show and log.</summary>
public sealed class UpstreamCredentialsException(string message) : HttpRequestException(message);
