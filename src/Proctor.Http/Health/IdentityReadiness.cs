using System.Text.Json.Nodes;
using Proctor.Identity.Tokens;

namespace Proctor.Http.Health;

/// <summary>
/// The trusted issuers: while an issuer's signing keys cannot be fetched no token of it can be checked, so the
/// gateway is not ready. Each issuer's key state and since when, with no provider text (the log has the
/// failure: event 2270); checking tries to fetch keys not known to be ready, bounded by the retry floor.
/// </summary>
internal sealed class IdentityReadiness(IIdentityHealth identity) : IReadinessSource
{
    public string Name => "identity";

    public async ValueTask<ReadinessReport> CheckAsync(bool details, CancellationToken cancellationToken)
    {
        var issuers = new JsonObject();
        var ready = true;
        foreach (var issuer in await identity.CheckAsync(cancellationToken).ConfigureAwait(false))
        {
            ready &= issuer.State == IssuerKeyState.Ready;
            issuers[issuer.Issuer] = new JsonObject
            {
                ["keys"] = issuer.State switch { IssuerKeyState.Ready => "ready", IssuerKeyState.Unreachable => "unreachable", _ => "unknown" },
                ["since"] = issuer.Since.ToString("O"),
            };
        }

        return new ReadinessReport(ready, new JsonObject { ["issuers"] = issuers });
    }
}
