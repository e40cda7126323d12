using System.Security.Cryptography;
using Proctor.Configuration.Models;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;
using Proctor.Masking;
using Proctor.Masking.Policy;
using Proctor.Mcp.Pipeline;

namespace Proctor.Cli.Approvals;

/// <summary>
/// The person a <c>--token</c> names, verified against the configuration's identity section exactly as the gateway
/// verifies callers (decision 0038), for every CLI verb where who acts matters: approvals, grants, break-glass, reviews.
/// </summary>
internal static class PersonTokens
{
    /// <param name="role">A role the person must hold (<c>identity.roles</c>), or null when any verified person may act.</param>
    /// <param name="act">What they are doing, for the message refusing an agent key ("approve", "ask for access").</param>
    /// <returns>The verified person; null after saying why not.</returns>
    public static async Task<Caller?> VerifyAsync(IdentitySettings identity, string token, string? role, string act, CancellationToken cancellationToken)
    {
        if (AgentKeyFormat.LooksLikeAgentKey(token))
        {
            Console.Error.WriteLine($"error: --token is an agent key; agent keys hold no role and cannot {act}. Pass your access token from the identity provider.");
            return null;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) }; // as the gateway bounds a key fetch
        var outcome = await new JwtAuthenticator(identity, http).AuthenticateAsync(token, cancellationToken).ConfigureAwait(false);
        if (outcome.Identity is not { } verified)
        {
            Console.Error.WriteLine($"error: --token was refused: {outcome.Description}");
            return null;
        }

        var caller = new Caller(verified.Subject, verified.Method, null, null, "") { Issuer = verified.Issuer, Groups = verified.Groups, AuthenticationMethods = verified.AuthenticationMethods };
        if (role is not null && !identity.Grants(role, caller.Groups))
        {
            Console.Error.WriteLine($"error: '{caller.Subject}' does not hold the {role} role (groups: {(caller.Groups.Count == 0 ? "none" : string.Join(", ", caller.Groups))}); identity.roles.{role} names the groups that do.");
            return null;
        }

        return caller;
    }

    /// <summary>Free text a person types (a comment, a reason): masked with the built-in rules before it is stored or recorded.</summary>
    public static string? Masked(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return BuiltInMasking().MaskText(text.Trim(), new MaskingScope(null, null), MaskingAudience.Storage).Text;
    }

    /// <summary>The built-in rules (no configuration needed): for what a person types and, once more, for a notice's summary.</summary>
    public static MaskingEngine BuiltInMasking() => MaskingEngine.Create(new MaskingPolicy(), RandomNumberGenerator.GetBytes(MaskingEngine.MinTokenKeyBytes));
}
