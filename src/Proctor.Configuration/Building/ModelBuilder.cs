using System.Collections.Frozen;
using System.Collections.Immutable;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;
using Proctor.Configuration.Secrets;
using Proctor.Configuration.Validation;

namespace Proctor.Configuration.Building;

/// <summary>
/// Builds the immutable model from options that passed every validator, applying defaults.
/// Parsing cannot fail here; if it does, a validator is missing a check, which is a bug.
/// </summary>
internal static class ModelBuilder
{
    public static GatewayModel Build(ProctorOptions options, IReadOnlyDictionary<string, SecretValue> resolved, IReadOnlyCollection<string> gatewaySecrets, string folder)
    {
        var gateway = BuildGateway(options.Gateway);
        var logging = new LoggingSettings(Valid(LogLevelFormat.TryParse(options.Logging.Level ?? LoggingOptions.DefaultLevel, out var level, out var problem), level, problem));
        var upstreams = options.Upstreams
            .Select(pair => WithIdentityRequirements(BuildUpstream(pair.Key, pair.Value, gateway.RequestTimeout, resolved), pair.Value))
            .ToFrozenDictionary(upstream => upstream.Name, StringComparer.Ordinal);
        var identity = options.Identity is { } written ? BuildIdentity(written, folder) : null;
        var storage = BuildStorage(options, folder);
        var masking = MaskingPolicyBuilder.Build(options.Masking, (key, _) => resolved[key].Reveal(), [.. gatewaySecrets.Order(StringComparer.Ordinal)]);
        var maskingAsWritten = MaskingPolicyBuilder.Build(options.Masking, (_, text) => text, []);
        return new GatewayModel
        {
            Gateway = gateway,
            Logging = logging,
            Storage = storage,
            Identity = identity,
            Upstreams = upstreams,
            Masking = masking,
            Hash = CanonicalForm.Hash(gateway, logging, identity, upstreams, options.Storage.Path, storage, maskingAsWritten),
        };
    }

    public static StorageSettings BuildStorage(ProctorOptions options, string folder) =>
        new(Path.GetFullPath(Path.Combine(folder, options.Storage.Path ?? StorageOptions.DefaultPath)))
        {
            Retention = options.Storage.Retention is { } retention ? Valid(RetentionFormat.TryParse(retention, out var period, out var problem), period, problem) : null,
            RetentionCheckInterval = options.Storage.RetentionCheckInterval is { } interval ? Duration(interval) : StorageSettings.DefaultRetentionCheckInterval,
        };

    private static UpstreamModel WithIdentityRequirements(UpstreamModel upstream, UpstreamOptions options) => upstream with
    {
        RequireMfa = options.RequireMfa is { } requireMfa && BooleanFormat.TryParse(requireMfa, out var required, out _) && required,
        MaxAuthenticationAge = options.MaxAuthAge is { } age ? Duration(age) : null,
        RequiredScopes = [.. (options.RequiredScopes ?? []).Distinct(StringComparer.Ordinal)],
        Limits = BuildLimits(options),
    };

    private static UpstreamLimits BuildLimits(UpstreamOptions options) => new()
    {
        MaxMessageBytes = options.MaxMessageBytes is { } size
            ? Valid(ByteSizeFormat.TryParse(size, UpstreamOptions.DefaultMaxMessageBytes, out var bytes, out var problem), bytes, problem)
            : UpstreamLimits.DefaultMaxMessageBytes,
        MaxCallsInFlight = options.MaxCallsInFlight is { } calls ? Count(calls, UpstreamLimitsValidator.MaxCallsInFlight) : UpstreamLimits.DefaultMaxCallsInFlight,
        MaxQueuedMessages = options.MaxQueuedMessages is { } queued ? Count(queued, UpstreamLimitsValidator.MaxQueuedMessages) : UpstreamLimits.DefaultMaxQueuedMessages,
        PingInterval = Duration(options.PingInterval ?? UpstreamOptions.DefaultPingInterval),
    };

    private static int Count(string text, int max) =>
        Valid(CountFormat.TryParse(text, 1, max, out var value, out var problem), value, problem);

    private static IdentitySettings BuildIdentity(IdentityOptions options, string folder)
    {
        IdentityValidator.TryHttpUrl(options.Resource!, out var resource);
        var issuers = options.Issuers!.Select(text => IdentityValidator.TryHttpUrl(text, out var issuer) ? issuer : throw new InvalidOperationException($"identity issuer {text} passed validation but does not parse")).ToImmutableArray();
        return new IdentitySettings(
            resource,
            issuers,
            options.GroupsClaim ?? IdentityOptions.DefaultGroupsClaim,
            [.. (options.Algorithms is { Count: > 0 } algorithms ? (IEnumerable<string>)algorithms : IdentityOptions.AllowedAlgorithms).Distinct(StringComparer.Ordinal)],
            Duration(options.ClockSkew ?? IdentityOptions.DefaultClockSkew))
        {
            AgentKeys = options.AgentKeys is not { } agentKeys || (BooleanFormat.TryParse(agentKeys, out var accept, out _) && accept),
            ScopesSupported = [.. (options.ScopesSupported ?? []).Distinct(StringComparer.Ordinal)],
            IssuerKeyFiles = (options.IssuerKeys ?? []).ToDictionary(pair => pair.Key.TrimEnd('/'), pair => Path.GetFullPath(Path.Combine(folder, pair.Value)), StringComparer.Ordinal),
            Roles = (options.Roles ?? []).ToFrozenDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)[.. pair.Value.Distinct(StringComparer.Ordinal)], StringComparer.Ordinal),
        };
    }

    private static UpstreamOAuthSettings BuildOAuth(OAuthOptions options, SecretValue clientSecret)
    {
        IdentityValidator.TryHttpUrl(options.TokenUrl!, out var tokenUrl);
        UpstreamOAuthValidator.TryParseClientAuthentication(options.ClientAuthentication ?? OAuthOptions.DefaultClientAuthentication, out var method);
        return new UpstreamOAuthSettings(tokenUrl, options.ClientId!, clientSecret, options.Scope, options.Resource, options.Audience, method);
    }

    private static GatewaySettings BuildGateway(GatewayOptions options)
    {
        var origins = (options.AllowedOrigins ?? [])
            .Select(text => Valid(OriginFormat.TryNormalize(text, out var origin, out var problem), origin, problem))
            .Distinct(StringComparer.Ordinal)
            .ToImmutableArray();
        return new GatewaySettings(
            Valid(ListenFormat.TryParse(options.Listen ?? GatewayOptions.DefaultListen, out var listen, out var listenProblem), listen, listenProblem),
            origins,
            Valid(ByteSizeFormat.TryParse(options.MaxRequestBytes ?? GatewayOptions.DefaultMaxRequestBytes, GatewayOptions.DefaultMaxRequestBytes, out var size, out var sizeProblem), size, sizeProblem),
            Duration(options.RequestTimeout ?? GatewayOptions.DefaultRequestTimeout),
            Duration(options.ShutdownTimeout ?? GatewayOptions.DefaultShutdownTimeout))
        {
            Limits = new GatewayLimits(
                Limit(options.MaxSessions, GatewayOptions.DefaultMaxSessions),
                Limit(options.MaxSessionsPerIdentity, GatewayOptions.DefaultMaxSessionsPerIdentity),
                Limit(options.MaxConcurrentCallsPerIdentity, GatewayOptions.DefaultMaxConcurrentCallsPerIdentity),
                Limit(options.MaxCallsPerSecondPerIdentity, GatewayOptions.DefaultMaxCallsPerSecondPerIdentity)),
        };
    }

    private static int Limit(string? text, int defaultValue) =>
        text is null ? defaultValue : Valid(CountFormat.TryParse(text, defaultValue, out var value, out var problem), value, problem);

    private static UpstreamModel BuildUpstream(string name, UpstreamOptions options, TimeSpan defaultTimeout, IReadOnlyDictionary<string, SecretValue> resolved)
    {
        var path = $"upstreams.{name}";
        var timeout = options.Timeout is { } text ? Duration(text) : defaultTimeout;
        if (options.Transport == UpstreamTransport.Stdio)
        {
            return new StdioUpstreamModel(
                name,
                timeout,
                options.Command!,
                [.. options.Args ?? []],
                (options.Env ?? []).ToFrozenDictionary(pair => pair.Key, pair => resolved[$"{path}.env.{pair.Key}"], StringComparer.Ordinal),
                options.Cwd,
                Duration(options.Restart?.InitialBackoff ?? UpstreamOptions.DefaultInitialBackoff),
                Duration(options.Restart?.MaxBackoff ?? UpstreamOptions.DefaultMaxBackoff),
                Duration(options.ShutdownGrace ?? UpstreamOptions.DefaultShutdownGrace));
        }

        var allowLinkLocal = options.AllowLinkLocal is { } allow && bool.Parse(allow);
        var url = resolved[$"{path}.url"];
        HttpUpstreamValidator.TryParseEra(options.Era ?? UpstreamOptions.DefaultEra, out var era);
        return new HttpUpstreamModel(
            name,
            timeout,
            Valid(UpstreamUrlFormat.TryParse(url.Reveal(), url.Reference, allowLinkLocal, out var uri, out var problem), uri, problem),
            (options.Headers ?? []).ToFrozenDictionary(pair => pair.Key, pair => resolved[$"{path}.headers.{pair.Key}"], StringComparer.OrdinalIgnoreCase),
            era,
            allowLinkLocal)
        {
            UrlReference = url.Reference,
            OAuth = options.OAuth is { } oauth ? BuildOAuth(oauth, resolved[$"{path}.oauth.clientSecret"]) : null,
        };
    }

    private static TimeSpan Duration(string text) =>
        Valid(DurationFormat.TryParse(text, "30s", out var value, out var problem), value, problem);

    private static T Valid<T>(bool ok, T value, string? problem) =>
        ok ? value : throw new InvalidOperationException($"A validator let through a value the model cannot use: {problem}");
}
