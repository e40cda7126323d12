namespace Proctor.Identity.Tokens;

public enum IssuerKeyState { Unknown, Ready, Unreachable }

/// <summary>Whether the gateway holds an issuer's signing keys, since when; reasons go to the log, not here (readiness is unauthenticated).</summary>
public sealed record IssuerKeyHealth(string Issuer, IssuerKeyState State, DateTimeOffset Since);

/// <summary>The identity part of readiness: every trusted issuer's keys can be had. The host's <c>/readyz</c> reads it.</summary>
public interface IIdentityHealth
{
    /// <summary>Each trusted issuer's state, trying to fetch the keys of any not known to be ready (bounded by <see cref="IssuerKeys.RetryFloor"/>).</summary>
    Task<IReadOnlyList<IssuerKeyHealth>> CheckAsync(CancellationToken cancellationToken);
}
