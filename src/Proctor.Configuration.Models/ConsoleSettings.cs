using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Models;

/// <summary>
/// The <c>console:</c> section (docs/console.md, decision 0050): how people sign in to the web console at <c>/console</c>.
/// The console exists only with an <c>identity:</c> section, whose role mapping decides what each person may see and do.
/// </summary>
public sealed record ConsoleSettings
{
    /// <summary>The console's client at the identity provider (authorization code with PKCE, a public client); none: no provider sign-in.</summary>
    [Setting("a client id", "\"proctor-console\"", NoReferences = "; write the client id itself (it is not a secret)")]
    public string? ClientId { get; init; }

    /// <summary>Where people sign in; null: the first of <c>identity.issuers</c>.</summary>
    [Setting("an issuer URL", "\"https://login.example.com\"", Format = ValueFormat.IssuerUrl)]
    public Uri? Issuer { get; init; }

    /// <summary>What the console asks the provider for; the access token must carry the groups claim the roles are mapped from.</summary>
    [Setting("a list of scopes", "\"openid\"", ItemWhat = "a scope", Format = ValueFormat.Scope, Set = true)]
    public IReadOnlyList<string> Scopes { get; init; } = ["openid"];

    /// <summary>A console left alone this long signs its person out; a bank's desk is not left signed in over lunch.</summary>
    [Setting("a duration", "\"30m\"")]
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Lets a person sign in by pasting an access token the gateway already accepts (<c>proctor demo</c>
    /// prints them). Off by default: in production people sign in through the provider.
    /// </summary>
    [Setting("true or false", "false")]
    public bool TokenSignIn { get; init; }
}
