using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Proctor.Masking.Policy;

namespace Proctor.Configuration.Building;

/// <summary>
/// The canonical form of a model, hashed into <see cref="GatewayModel.Hash"/>: compact JSON with a
/// fixed member order, maps sorted by ordinal key, durations in milliseconds, sizes in bytes, and
/// every secret-bearing value as written (its references unresolved). Changing this form changes
/// every hash, so <see cref="Version"/> MUST change with it.
/// </summary>
internal static class CanonicalForm
{
    public const string Version = "proctor.configuration/2";

    public static string Hash(GatewaySettings gateway, LoggingSettings logging, IdentitySettings? identity, IReadOnlyDictionary<string, UpstreamModel> upstreams, string? storagePath = null, StorageSettings? storage = null, MaskingPolicy? masking = null) =>
        Convert.ToHexStringLower(SHA256.HashData(Write(gateway, logging, identity, upstreams, storagePath, storage, masking)));

    /// <summary>
    /// The identity and storage sections, and settings added later, are written only when configured,
    /// so configurations without them keep their hash. <paramref name="storagePath"/> is the path as
    /// written (where the data lives, not what decides a call), so moving the file does not matter.
    /// Retention is written when set: the retention in force is evidence (AU-11).
    /// <paramref name="masking"/> is the policy as written: deny-list terms as references, and without
    /// the gateway's own secrets (they follow from the upstreams' references, already hashed).
    /// </summary>
    public static byte[] Write(GatewaySettings gateway, LoggingSettings logging, IdentitySettings? identity, IReadOnlyDictionary<string, UpstreamModel> upstreams, string? storagePath = null, StorageSettings? storage = null, MaskingPolicy? masking = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", Version);

            json.WriteStartObject("gateway");
            json.WriteString("listen", gateway.Listen.AbsoluteUri);
            json.WriteStartArray("allowedOrigins");
            foreach (var origin in gateway.AllowedOrigins.Order(StringComparer.Ordinal))
            {
                json.WriteStringValue(origin);
            }

            json.WriteEndArray();
            json.WriteNumber("maxRequestBytes", gateway.MaxRequestBytes);
            WriteDuration(json, "requestTimeout", gateway.RequestTimeout);
            WriteDuration(json, "shutdownTimeout", gateway.ShutdownTimeout);
            json.WriteNumber("maxSessions", gateway.Limits.MaxSessions);
            json.WriteNumber("maxSessionsPerIdentity", gateway.Limits.MaxSessionsPerIdentity);
            json.WriteNumber("maxConcurrentCallsPerIdentity", gateway.Limits.MaxConcurrentCallsPerIdentity);
            json.WriteNumber("maxCallsPerSecondPerIdentity", gateway.Limits.MaxCallsPerSecondPerIdentity);
            json.WriteEndObject();

            json.WriteStartObject("logging");
            json.WriteString("level", logging.Level);
            json.WriteEndObject();

            var retention = storage?.Retention;
            if (storagePath is not null || retention is not null)
            {
                json.WriteStartObject("storage");
                if (storagePath is not null)
                {
                    json.WriteString("path", storagePath);
                }

                if (retention is not null)
                {
                    json.WriteString("retention", retention.ToString());
                    WriteDuration(json, "retentionCheckInterval", storage!.RetentionCheckInterval);
                }

                json.WriteEndObject();
            }

            if (identity is not null)
            {
                WriteIdentity(json, identity);
            }

            if (masking is not null && !IsBuiltIn(masking))
            {
                CanonicalMasking.Write(json, masking);
            }

            json.WriteStartArray("upstreams");
            foreach (var upstream in upstreams.Values.OrderBy(upstream => upstream.Name, StringComparer.Ordinal))
            {
                WriteUpstream(json, upstream);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool IsBuiltIn(MaskingPolicy masking) =>
        masking is { Rules.Count: 0, Overrides.Count: 0, CustomPatterns.Count: 0, DenyLists.Count: 0 } && masking.TimeBudget == new MaskingPolicy().TimeBudget;

    private static void WriteIdentity(Utf8JsonWriter json, IdentitySettings identity)
    {
        json.WriteStartObject("identity");
        json.WriteString("resource", identity.Resource.AbsoluteUri);
        json.WriteStartArray("issuers");
        foreach (var issuer in identity.Issuers.Select(i => i.OriginalString).Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(issuer);
        }

        json.WriteEndArray();
        json.WriteString("groupsClaim", identity.GroupsClaim);
        json.WriteStartArray("algorithms");
        foreach (var algorithm in identity.Algorithms.Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(algorithm);
        }

        json.WriteEndArray();
        WriteDuration(json, "clockSkew", identity.ClockSkew);
        if (!identity.AgentKeys)
        {
            json.WriteBoolean("agentKeys", false);
        }

        WriteList(json, "scopesSupported", identity.ScopesSupported);
        if (identity.IssuerKeyFiles.Count > 0)
        {
            json.WriteStartObject("issuerKeys");
            foreach (var (issuer, file) in identity.IssuerKeyFiles.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                json.WriteString(issuer, file);
            }

            json.WriteEndObject();
        }

        if (identity.Roles.Count > 0)
        {
            json.WriteStartObject("roles");
            foreach (var (role, groups) in identity.Roles.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                WriteList(json, role, groups);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteUpstream(Utf8JsonWriter json, UpstreamModel upstream)
    {
        json.WriteStartObject();
        json.WriteString("name", upstream.Name);
        WriteDuration(json, "timeout", upstream.Timeout);

        // Written only when set, so that configurations without them keep their hash.
        if (upstream.RequireMfa)
        {
            json.WriteBoolean("requireMfa", true);
        }

        if (upstream.MaxAuthenticationAge is { } maxAge)
        {
            WriteDuration(json, "maxAuthAge", maxAge);
        }

        WriteList(json, "requiredScopes", upstream.RequiredScopes);
        WriteLimits(json, upstream.Limits);

        switch (upstream)
        {
            case StdioUpstreamModel stdio:
                json.WriteString("kind", "stdio");
                json.WriteString("command", stdio.Command);
                json.WriteStartArray("args");
                foreach (var arg in stdio.Args)
                {
                    json.WriteStringValue(arg);
                }

                json.WriteEndArray();
                WriteSecrets(json, "env", stdio.Environment);
                if (stdio.WorkingDirectory is null)
                {
                    json.WriteNull("cwd");
                }
                else
                {
                    json.WriteString("cwd", stdio.WorkingDirectory);
                }

                WriteDuration(json, "initialBackoff", stdio.InitialBackoff);
                WriteDuration(json, "maxBackoff", stdio.MaxBackoff);
                WriteDuration(json, "shutdownGrace", stdio.ShutdownGrace);
                break;

            case HttpUpstreamModel http:
                json.WriteString("kind", "http");
                json.WriteString("url", http.UrlReference ?? http.Url.OriginalString);
                WriteSecrets(json, "headers", http.Headers);
                json.WriteString("era", http.Era.ToString().ToLowerInvariant());
                json.WriteBoolean("allowLinkLocal", http.AllowLinkLocal);
                if (http.OAuth is { } oauth)
                {
                    json.WriteStartObject("oauth");
                    json.WriteString("tokenUrl", oauth.TokenUrl.OriginalString);
                    json.WriteString("clientId", oauth.ClientId);
                    json.WriteString("clientSecret", oauth.ClientSecret.Reference);
                    json.WriteString("scope", oauth.Scope);
                    json.WriteString("resource", oauth.Resource);
                    json.WriteString("audience", oauth.Audience);
                    json.WriteString("clientAuthentication", oauth.ClientAuthentication.ToString().ToLowerInvariant());
                    json.WriteEndObject();
                }

                break;

            default:
                throw new InvalidOperationException($"Unknown upstream kind {upstream.GetType().Name}.");
        }

        json.WriteEndObject();
    }

    /// <summary>Each limit only when it differs from its default, so that configurations without them keep their hash.</summary>
    private static void WriteLimits(Utf8JsonWriter json, UpstreamLimits limits)
    {
        var defaults = UpstreamLimits.Default;
        if (limits.MaxMessageBytes != defaults.MaxMessageBytes)
        {
            json.WriteNumber("maxMessageBytes", limits.MaxMessageBytes);
        }

        if (limits.MaxCallsInFlight != defaults.MaxCallsInFlight)
        {
            json.WriteNumber("maxCallsInFlight", limits.MaxCallsInFlight);
        }

        if (limits.MaxQueuedMessages != defaults.MaxQueuedMessages)
        {
            json.WriteNumber("maxQueuedMessages", limits.MaxQueuedMessages);
        }

        if (limits.PingInterval != defaults.PingInterval)
        {
            WriteDuration(json, "pingInterval", limits.PingInterval);
        }
    }

    private static void WriteSecrets(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, Secrets.SecretValue> values)
    {
        json.WriteStartArray(name);
        foreach (var (key, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            json.WriteStartArray();
            json.WriteStringValue(key);
            json.WriteStringValue(value.Reference);
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    /// <summary>Sorted, and omitted when empty (so older configurations keep their hash).</summary>
    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values.Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    internal static void WriteDuration(Utf8JsonWriter json, string name, TimeSpan value) =>
        json.WriteNumber(name + "Ms", (long)value.TotalMilliseconds);
}
