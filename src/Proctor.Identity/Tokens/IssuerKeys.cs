using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Proctor.Identity.Tokens;

/// <summary>
/// One trusted issuer's signing keys (through Microsoft.IdentityModel's configuration manager: discovery and
/// JWKS, cached and refreshed) and whether the gateway can get them: the identity part of readiness. After a
/// failed fetch with no keys in hand, further attempts wait <see cref="RetryFloor"/>, so neither a burst of
/// tokens naming this issuer nor unauthenticated <c>/readyz</c> probes can turn into a burst of requests to
/// an identity provider that is already struggling.
/// </summary>
internal sealed partial class IssuerKeys(string issuer, BaseConfigurationManager manager, bool pinned, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan RetryFloor = TimeSpan.FromSeconds(5);

    /// <summary>Rate limit on key refetches triggered by unknown kids, so bad tokens cannot hammer the provider.</summary>
    public static readonly TimeSpan KeyRefreshFloor = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A provider that has not served discovery and keys by then is treated as unreachable: the caller gets a 503
    /// it can retry instead of a request held open for as long as the provider stalls (the shared HttpClient has
    /// no timeout of its own, since upstream calls set theirs per call).
    /// </summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private IssuerKeyHealth _health = new(issuer, pinned ? IssuerKeyState.Ready : IssuerKeyState.Unknown, time.GetUtcNow());
    private DateTimeOffset _lastFailure = DateTimeOffset.MinValue;
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;

    public string Issuer => issuer;

    public IssuerKeyHealth Health
    {
        get
        {
            lock (_gate)
            {
                return _health;
            }
        }
    }

    /// <summary>The issuer's current configuration (keys), or null when it cannot be fetched now.</summary>
    public async Task<BaseConfiguration?> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_health.State == IssuerKeyState.Unreachable && time.GetUtcNow() - _lastFailure < RetryFloor)
            {
                return null;
            }
        }

        using var timeout = new CancellationTokenSource(FetchTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var configuration = await manager.GetBaseConfigurationAsync(linked.Token).ConfigureAwait(false);
            Record(IssuerKeyState.Ready, null);
            return configuration;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Record(IssuerKeyState.Unreachable, ex is OperationCanceledException ? new TimeoutException($"no answer within {FetchTimeout.TotalSeconds:0} s") : ex);
            return null;
        }
    }

    /// <summary>
    /// Asks for the keys to be fetched again (in the background: the token that asked is judged on the keys in hand),
    /// at most once per <see cref="KeyRefreshFloor"/> by the gateway's clock, counted from the last fetch it let through
    /// (or the first fetch).
    /// </summary>
    public void RequestRefresh()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now - _lastRefresh < KeyRefreshFloor)
            {
                return;
            }

            _lastRefresh = now;
        }

        manager.RequestRefresh();
    }

    private void Record(IssuerKeyState state, Exception? failure)
    {
        var now = time.GetUtcNow();
        IssuerKeyHealth? changed = null;
        lock (_gate)
        {
            if (failure is not null)
            {
                _lastFailure = now;
            }
            else if (_lastRefresh == DateTimeOffset.MinValue)
            {
                _lastRefresh = now; // the first fetch starts the floor: keys fetched moments ago are not fetched again
            }

            if (_health.State != state)
            {
                _health = changed = new IssuerKeyHealth(issuer, state, now);
            }
        }

        if (changed is null)
        {
            return;
        }

        if (failure is not null)
        {
            // The detail (the provider's answer or the network error) goes to the log only: /readyz is unauthenticated.
            Log.Unreachable(logger, issuer, failure.InnerException?.Message ?? failure.Message);
        }
        else
        {
            Log.Reachable(logger, issuer);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2270, Level = LogLevel.Warning, Message = "The signing keys of issuer {Issuer} cannot be fetched (discovery or JWKS): {Failure}. Its tokens are refused with 503 and /readyz reports not ready until they can.")]
        public static partial void Unreachable(ILogger logger, string issuer, string failure);

        [LoggerMessage(EventId = 2271, Level = LogLevel.Information, Message = "The signing keys of issuer {Issuer} were fetched; its tokens are checked again.")]
        public static partial void Reachable(ILogger logger, string issuer);
    }
}
