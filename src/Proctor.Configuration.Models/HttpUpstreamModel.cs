using System.Text;
using Proctor.Configuration.Models.Secrets;

namespace Proctor.Configuration.Models;

/// <summary>
/// A remote upstream reached over Streamable HTTP. <see cref="Headers"/> are sent on every request
/// (header names compare ignoring case).
/// <para>
/// <see cref="Url"/> is resolved: if the operator put a secret reference in the URL, the plaintext is
/// in it, so code MUST NOT log <see cref="Url"/>; <see cref="ToString"/> prints the URL as written.
/// </para>
/// <para>
/// <see cref="AllowLinkLocal"/> false means the configured host was checked not to be a link-local or
/// cloud-metadata address; a connector MUST check again the addresses a host name resolves to
/// (see <see cref="Network.LinkLocalGuard"/>), since DNS can point anywhere.
/// </para>
/// </summary>
public sealed record HttpUpstreamModel(
    string Name,
    TimeSpan Timeout,
    Uri Url,
    IReadOnlyDictionary<string, SecretValue> Headers,
    UpstreamEra Era,
    bool AllowLinkLocal) : UpstreamModel(Name, Timeout)
{
    /// <summary>The URL as written, references unresolved; what the hash and <see cref="ToString"/> use.</summary>
    internal string? UrlReference { get; init; }

    /// <summary>When set, the gateway sends its own client-credentials token as <c>Authorization: Bearer</c>.</summary>
    public UpstreamOAuthSettings? OAuth { get; init; }

    protected override bool PrintMembers(StringBuilder builder)
    {
        if (base.PrintMembers(builder))
        {
            builder.Append(", ");
        }

        builder.Append("Url = ").Append(UrlReference ?? Url.OriginalString)
            .Append(", Headers = [").AppendJoin(", ", Headers.Keys.Order(StringComparer.Ordinal)).Append(']')
            .Append(", Era = ").Append(Era)
            .Append(", AllowLinkLocal = ").Append(AllowLinkLocal)
            .Append(", OAuth = ").Append(OAuth is null ? "none" : OAuth.TokenUrl.OriginalString);
        return true;
    }
}
