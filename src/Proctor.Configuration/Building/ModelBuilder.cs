using System.Collections.Frozen;
using Proctor.Configuration.Binding;
using Proctor.Configuration.Models;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Building;

/// <summary>
/// Builds the immutable model from options that passed binding and every rule. Nothing is parsed here:
/// values are typed already. What is left is shape: the upstream kinds, paths made absolute against the
/// configuration's folder, the upstream timeout's fallback, and the masking engine's policy.
/// </summary>
internal static class ModelBuilder
{
    public static GatewayModel Build(ProctorOptions options, BindingContext context, string folder, GatewayPolicy policy)
    {
        var (hash, canonical) = ConfigurationHash.Compute(options);
        return new GatewayModel
        {
            Gateway = options.Gateway,
            Logging = options.Logging,
            Storage = BuildStorage(options.Storage, folder),
            Identity = options.Identity is { } identity ? BuildIdentity(identity, folder) : null,
            Upstreams = options.Upstreams.ToFrozenDictionary(pair => pair.Key, pair => BuildUpstream(pair.Key, pair.Value, options.Gateway.RequestTimeout), StringComparer.Ordinal),
            Approvals = options.Approvals,
            Access = options.Access,
            Console = options.Console,
            Policy = policy,
            Notifications = options.Notifications,
            Masking = MaskingPolicyBuilder.Build(options.Masking, [.. context.GatewaySecrets.Order(StringComparer.Ordinal)]),
            Hash = hash,
            CanonicalJson = canonical,
        };
    }

    /// <summary>Relative to the configuration file's folder, so that a gateway and its data move together.</summary>
    public static StorageSettings BuildStorage(StorageSettings storage, string folder) =>
        storage with { Path = Path.GetFullPath(Path.Combine(folder, storage.Path)) };

    public static IdentitySettings BuildIdentity(IdentitySettings identity, string folder) => identity with
    {
        Algorithms = identity.Algorithms.Count > 0 ? identity.Algorithms : IdentitySettings.AllowedAlgorithms,
        IssuerKeyFiles = identity.IssuerKeyFiles.ToFrozenDictionary(pair => pair.Key.TrimEnd('/'), pair => Path.GetFullPath(Path.Combine(folder, pair.Value)), StringComparer.Ordinal),
        Roles = identity.Roles.ToFrozenDictionary(StringComparer.Ordinal),
    };

    private static UpstreamModel BuildUpstream(string name, UpstreamOptions options, TimeSpan defaultTimeout)
    {
        var timeout = options.Timeout ?? defaultTimeout;
        UpstreamModel upstream = options.Url is { } url
            ? new HttpUpstreamModel(name, timeout, url.Url, options.Headers.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), options.Era, options.AllowLinkLocal)
            {
                UrlReference = url.Reference,
                OAuth = options.OAuth,
            }
            : new StdioUpstreamModel(
                name,
                timeout,
                options.Command!,
                options.Args,
                options.Env.ToFrozenDictionary(StringComparer.Ordinal),
                options.Cwd,
                options.Restart.InitialBackoff,
                options.Restart.MaxBackoff,
                options.ShutdownGrace);
        return upstream with
        {
            RequireMfa = options.RequireMfa,
            PinToolDefinitions = options.PinToolDefinitions,
            MaxAuthenticationAge = options.MaxAuthAge,
            RequiredScopes = options.RequiredScopes,
            Limits = options.Limits,
        };
    }
}
