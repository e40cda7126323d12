using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Proctor.Configuration.Reading;

/// <summary>
/// Reads the YAML tree into options: refuses unknown keys (suggesting the closest known one) and
/// values of the wrong shape (a list where one value belongs), and keeps every value as text.
/// What the text must look like is the validators' concern. Values of <c>env</c> and <c>headers</c>
/// are never quoted in messages: they may be secrets written where a reference belongs.
/// </summary>
internal sealed partial class OptionsBinder(string sourceName, List<ConfigurationError> errors)
{
    private const string UpstreamExample = "{ url: \"https://mcp.example.com/mcp\" } or { command: \"npx\" }";

    /// <summary>Plain <c>~</c>, <c>null</c> or nothing: YAML's null, read as "not written".</summary>
    public static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public ProctorOptions Bind(YamlNode? root)
    {
        var options = new ProctorOptions();
        if (root is null || IsNullNode(root))
        {
            return options;
        }

        if (root is not YamlMappingNode mapping)
        {
            errors.Add(new ConfigurationError(sourceName, $"expected a mapping with the sections gateway, logging and upstreams, found {Describe(root)}"));
            return options;
        }

        foreach (var (key, value) in Entries(mapping, ""))
        {
            switch (key)
            {
                case "gateway":
                    BindGateway(value, options.Gateway);
                    break;
                case "logging":
                    BindLogging(value, options.Logging);
                    break;
                case "storage":
                    BindStorage(value, options.Storage);
                    break;
                case "identity":
                    options.Identity = new IdentityOptions();
                    BindIdentity(value, options.Identity);
                    break;
                case "masking":
                    options.Masking = BindMasking(value);
                    break;
                case "upstreams":
                    BindUpstreams(value, options);
                    break;
                default:
                    UnknownKey(key, key, ConfigurationKeys.Root);
                    break;
            }
        }

        return options;
    }

    private void BindGateway(YamlNode node, GatewayOptions gateway)
    {
        const string path = "gateway";
        if (Mapping(node, path, "{ listen: \"http://127.0.0.1:8080\" }") is not { } mapping)
        {
            return;
        }

        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            switch (key)
            {
                case "listen":
                    gateway.Listen = Scalar(value, keyPath, "a URL", "\"http://127.0.0.1:8080\"");
                    break;
                case "allowedOrigins":
                    gateway.AllowedOrigins = List(value, keyPath, "a list of origins", "an origin", "\"http://localhost:6274\"", splitExample: false);
                    break;
                case "maxRequestBytes":
                    gateway.MaxRequestBytes = Scalar(value, keyPath, "a size", "\"4MiB\"");
                    break;
                case "requestTimeout":
                    gateway.RequestTimeout = Scalar(value, keyPath, "a duration", "\"60s\"");
                    break;
                case "shutdownTimeout":
                    gateway.ShutdownTimeout = Scalar(value, keyPath, "a duration", "\"10s\"");
                    break;
                case "maxSessions":
                    gateway.MaxSessions = Scalar(value, keyPath, "a whole number", "10000");
                    break;
                case "maxSessionsPerIdentity":
                    gateway.MaxSessionsPerIdentity = Scalar(value, keyPath, "a whole number", "100");
                    break;
                case "maxConcurrentCallsPerIdentity":
                    gateway.MaxConcurrentCallsPerIdentity = Scalar(value, keyPath, "a whole number", "64");
                    break;
                case "maxCallsPerSecondPerIdentity":
                    gateway.MaxCallsPerSecondPerIdentity = Scalar(value, keyPath, "a whole number", "500");
                    break;
                default:
                    UnknownKey(keyPath, key, ConfigurationKeys.Gateway);
                    break;
            }
        }
    }

    private void BindLogging(YamlNode node, LoggingOptions logging)
    {
        const string path = "logging";
        if (Mapping(node, path, "{ level: \"Information\" }") is not { } mapping)
        {
            return;
        }

        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            if (key == "level")
            {
                logging.Level = Scalar(value, keyPath, "a log level", "\"Information\"");
            }
            else
            {
                UnknownKey(keyPath, key, ConfigurationKeys.Logging);
            }
        }
    }

    private void BindStorage(YamlNode node, StorageOptions storage)
    {
        const string path = "storage";
        if (Mapping(node, path, "{ path: \"proctor-data/proctor.db\" }") is not { } mapping)
        {
            return;
        }

        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            if (key == "path")
            {
                storage.Path = Scalar(value, keyPath, "a file path", "\"proctor-data/proctor.db\"");
            }
            else if (key == "retention")
            {
                storage.Retention = Scalar(value, keyPath, "a retention period", "\"7y\"");
            }
            else if (key == "retentionCheckInterval")
            {
                storage.RetentionCheckInterval = Scalar(value, keyPath, "a duration", "\"1h\"");
            }
            else
            {
                UnknownKey(keyPath, key, ConfigurationKeys.Storage);
            }
        }
    }

    private void BindOAuth(YamlMappingNode mapping, string path, OAuthOptions oauth)
    {
        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            switch (key)
            {
                case "tokenUrl":
                    oauth.TokenUrl = Scalar(value, keyPath, "a URL", "\"https://login.example.com/oauth2/token\"");
                    break;
                case "clientId":
                    oauth.ClientId = Scalar(value, keyPath, "a client id", "\"proctor-gateway\"");
                    break;
                case "clientSecret":
                    oauth.ClientSecret = value is YamlScalarNode ? Scalar(value, keyPath, "a secret reference", "\"${env:CRM_CLIENT_SECRET}\"") : SensitiveShape(value, keyPath);
                    break;
                case "scope":
                    oauth.Scope = Scalar(value, keyPath, "space-separated scopes", "\"crm.read crm.write\"");
                    break;
                case "resource":
                    oauth.Resource = Scalar(value, keyPath, "a URL", "\"https://crm.example.com/mcp\"");
                    break;
                case "audience":
                    oauth.Audience = Scalar(value, keyPath, "an audience", "\"https://crm.example.com\"");
                    break;
                case "clientAuthentication":
                    oauth.ClientAuthentication = Scalar(value, keyPath, "basic or post", "basic");
                    break;
                default:
                    UnknownKey(keyPath, key, ConfigurationKeys.OAuth);
                    break;
            }
        }
    }

    private string? SensitiveShape(YamlNode node, string path)
    {
        errors.Add(new ConfigurationError(path, $"expected a secret reference, found {Describe(node, sensitive: true)}; use e.g. \"${{env:CRM_CLIENT_SECRET}}\""));
        return null;
    }

    private void BindIdentity(YamlNode node, IdentityOptions identity)
    {
        const string path = "identity";
        if (Mapping(node, path, "{ resource: \"https://gateway.example.com/mcp\", issuers: [\"https://login.example.com\"] }") is not { } mapping)
        {
            return;
        }

        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            switch (key)
            {
                case "resource":
                    identity.Resource = Scalar(value, keyPath, "a URL", "\"https://gateway.example.com/mcp\"");
                    break;
                case "issuers":
                    identity.Issuers = List(value, keyPath, "a list of issuer URLs", "an issuer URL", "\"https://login.example.com\"", splitExample: false);
                    break;
                case "groupsClaim":
                    identity.GroupsClaim = Scalar(value, keyPath, "a claim name", "\"groups\"");
                    break;
                case "algorithms":
                    identity.Algorithms = List(value, keyPath, "a list of algorithms", "an algorithm", "\"RS256\"", splitExample: false);
                    break;
                case "clockSkew":
                    identity.ClockSkew = Scalar(value, keyPath, "a duration", "\"30s\"");
                    break;
                case "agentKeys":
                    identity.AgentKeys = Scalar(value, keyPath, "true or false", "true");
                    break;
                case "scopesSupported":
                    identity.ScopesSupported = List(value, keyPath, "a list of scopes", "a scope", "\"mcp:bank.read\"", splitExample: true);
                    break;
                case "issuerKeys":
                    identity.IssuerKeys = TextMap(value, keyPath, "a map from issuer URL to a JWKS file", "{ \"https://login.example.com\": \"keys/login.jwks.json\" }");
                    break;
                case "roles":
                    identity.Roles = ListMap(value, keyPath, "a map from role to a list of groups", "{ auditor: [\"auditors\"] }", "a list of groups", "a group", "\"auditors\"");
                    break;
                default:
                    UnknownKey(keyPath, key, ConfigurationKeys.Identity);
                    break;
            }
        }
    }

    private void BindUpstreams(YamlNode node, ProctorOptions options)
    {
        const string path = "upstreams";
        if (Mapping(node, path, "{ crm: { url: \"https://mcp.example.com/mcp\" } }") is not { } mapping)
        {
            return;
        }

        foreach (var (name, value) in Entries(mapping, path))
        {
            var upstream = new UpstreamOptions();
            options.Upstreams[name] = upstream;
            var upstreamPath = KeyPath.Child(path, name);
            if (IsNullNode(value))
            {
                continue; // the transport validator says what is missing
            }

            if (value is not YamlMappingNode settings)
            {
                upstream.Unreadable = true;
                errors.Add(new ConfigurationError(upstreamPath, $"expected the upstream's settings, found {Describe(value)}; use e.g. {UpstreamExample}"));
                continue;
            }

            BindUpstream(settings, upstreamPath, upstream);
        }
    }

    private void BindUpstream(YamlMappingNode mapping, string path, UpstreamOptions upstream)
    {
        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            if (ConfigurationKeys.Upstream.Contains(key))
            {
                upstream.WrittenKeys.Add(key);
            }

            var errorsBefore = errors.Count;
            BindUpstreamKey(key, value, keyPath, upstream);
            if (errors.Count > errorsBefore)
            {
                upstream.RefusedKeys.Add(key);
            }
        }
    }

    private void BindUpstreamKey(string key, YamlNode value, string keyPath, UpstreamOptions upstream)
    {
        switch (key)
        {
            case "command":
                upstream.Command = Scalar(value, keyPath, "a program name or path", "\"npx\"");
                break;
            case "args":
                upstream.Args = List(value, keyPath, "a list of arguments", "an argument", "\"--stdio\"", splitExample: true);
                break;
            case "env":
                upstream.Env = TextMap(value, keyPath, "a mapping of variable names to values", "{ SOME_VAR: \"${env:SOME_VAR}\" }");
                break;
            case "cwd":
                upstream.Cwd = Scalar(value, keyPath, "a folder path", "\"/srv/mcp\"");
                break;
            case "timeout":
                upstream.Timeout = Scalar(value, keyPath, "a duration", "\"30s\"");
                break;
            case "restart":
                upstream.Restart = Bound<RestartOptions>(value, keyPath, "{ initialBackoff: \"1s\", maxBackoff: \"30s\" }", BindRestart);
                break;
            case "shutdownGrace":
                upstream.ShutdownGrace = Scalar(value, keyPath, "a duration", "\"5s\"");
                break;
            case "url":
                upstream.Url = Scalar(value, keyPath, "a URL", "\"https://mcp.example.com/mcp\"");
                break;
            case "headers":
                upstream.Headers = TextMap(value, keyPath, "a mapping of header names to values", "{ Authorization: \"Bearer ${env:CRM_TOKEN}\" }");
                break;
            case "era":
                upstream.Era = Scalar(value, keyPath, "auto, legacy or modern", "auto");
                break;
            case "allowLinkLocal":
                upstream.AllowLinkLocal = Scalar(value, keyPath, "true or false", "false");
                break;
            case "requireMfa":
                upstream.RequireMfa = Scalar(value, keyPath, "true or false", "true");
                break;
            case "maxAuthAge":
                upstream.MaxAuthAge = Scalar(value, keyPath, "a duration", "\"12h\"");
                break;
            case "requiredScopes":
                upstream.RequiredScopes = List(value, keyPath, "a list of scopes", "a scope", "\"mcp:bank.read\"", splitExample: true);
                break;
            case "maxMessageBytes":
                upstream.MaxMessageBytes = Scalar(value, keyPath, "a size", "\"16MiB\"");
                break;
            case "maxCallsInFlight":
                upstream.MaxCallsInFlight = Scalar(value, keyPath, "a whole number", "1024");
                break;
            case "maxQueuedMessages":
                upstream.MaxQueuedMessages = Scalar(value, keyPath, "a whole number", "256");
                break;
            case "pingInterval":
                upstream.PingInterval = Scalar(value, keyPath, "a duration", "\"30s\"");
                break;
            case "oauth":
                upstream.OAuth = Bound<OAuthOptions>(value, keyPath, "{ tokenUrl: \"https://login.example.com/oauth2/token\", clientId: \"proctor\", clientSecret: \"${env:CRM_CLIENT_SECRET}\" }", BindOAuth);
                break;
            default:
                UnknownKey(keyPath, key, ConfigurationKeys.Upstream);
                break;
        }
    }

    private void BindRestart(YamlMappingNode mapping, string path, RestartOptions restart)
    {
        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            switch (key)
            {
                case "initialBackoff":
                    restart.InitialBackoff = Scalar(value, keyPath, "a duration", "\"1s\"");
                    break;
                case "maxBackoff":
                    restart.MaxBackoff = Scalar(value, keyPath, "a duration", "\"30s\"");
                    break;
                default:
                    UnknownKey(keyPath, key, ConfigurationKeys.Restart);
                    break;
            }
        }
    }

    /// <summary>A mapping bound into new options; null when it is not written or not a mapping (reported).</summary>
    private T? Bound<T>(YamlNode node, string path, string example, Action<YamlMappingNode, string, T> bind)
        where T : class, new()
    {
        if (Mapping(node, path, example) is not { } mapping)
        {
            return null;
        }

        var options = new T();
        bind(mapping, path, options);
        return options;
    }

    private IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode mapping, string path)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: { Length: > 0 } text } scalar && !IsNull(scalar))
            {
                yield return (text, value);
            }
            else
            {
                errors.Add(new ConfigurationError(
                    path.Length == 0 ? sourceName : path,
                    $"line {key.Start.Line}: keys must be plain names, found {Describe(key)}"));
            }
        }
    }

    private YamlMappingNode? Mapping(YamlNode node, string path, string example)
    {
        if (IsNullNode(node))
        {
            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        errors.Add(new ConfigurationError(path, $"expected a mapping, found {Describe(node)}; use e.g. {example}"));
        return null;
    }

    private string? Scalar(YamlNode node, string path, string what, string example)
    {
        if (node is YamlScalarNode scalar)
        {
            return IsNull(scalar) ? null : scalar.Value ?? "";
        }

        errors.Add(new ConfigurationError(path, $"expected {what}, found {Describe(node)}; use e.g. {example}"));
        return null;
    }

    private List<string>? List(YamlNode node, string path, string what, string itemWhat, string itemExample, bool splitExample)
    {
        if (IsNullNode(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            var example = node is YamlScalarNode { Value: { } text }
                ? "[" + string.Join(", ", (splitExample ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [text]).Select(DisplayText.Quote)) + "]"
                : "[" + itemExample + "]";
            errors.Add(new ConfigurationError(path, $"expected {what}, found {Describe(node)}; use {example}"));
            return null;
        }

        var items = new List<string>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var itemPath = KeyPath.Item(path, i);
            if (item is not YamlScalarNode scalar)
            {
                errors.Add(new ConfigurationError(itemPath, $"expected {itemWhat}, found {Describe(item)}; use e.g. {itemExample}"));
            }
            else if (IsNull(scalar))
            {
                errors.Add(new ConfigurationError(itemPath, $"is empty; write {itemWhat}, e.g. {itemExample}, or remove the entry"));
            }
            else
            {
                items.Add(scalar.Value ?? "");
            }
        }

        return items;
    }

    private OrderedDictionary<string, string>? TextMap(YamlNode node, string path, string what, string example)
    {
        if (IsNullNode(node))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            errors.Add(new ConfigurationError(path, $"expected {what}, found {Describe(node, sensitive: true)}; use e.g. {example}"));
            return null;
        }

        var map = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            if (value is not YamlScalarNode scalar)
            {
                errors.Add(new ConfigurationError(keyPath, $"expected a text value, found {Describe(value)}; use e.g. \"value\""));
            }
            else if (IsNull(scalar))
            {
                errors.Add(new ConfigurationError(keyPath, "has no value; write \"\" for an empty value, or remove the entry"));
            }
            else
            {
                map[key] = scalar.Value ?? "";
            }
        }

        return map;
    }

    private OrderedDictionary<string, List<string>>? ListMap(YamlNode node, string path, string what, string example, string listWhat, string itemWhat, string itemExample)
    {
        if (IsNullNode(node))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            errors.Add(new ConfigurationError(path, $"expected {what}, found {Describe(node)}; use e.g. {example}"));
            return null;
        }

        var map = new OrderedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(mapping, path))
        {
            // Written but empty stays in the map, so the validator can say which entry lists nothing.
            if (IsNullNode(value))
            {
                map[key] = [];
            }
            else if (List(value, KeyPath.Child(path, key), listWhat, itemWhat, itemExample, splitExample: false) is { } items)
            {
                map[key] = items;
            }
        }

        return map;
    }

    private void UnknownKey(string path, string key, string[] known)
    {
        if (key == "<<")
        {
            errors.Add(new ConfigurationError(path, "YAML merge keys are not supported; write the keys out"));
            return;
        }

        var closest = KeySuggestion.Closest(key, known);
        errors.Add(new ConfigurationError(
            path,
            closest is null
                ? $"unknown key; expected one of {string.Join(", ", known)}"
                : $"unknown key; did you mean \"{closest}\"?"));
    }

    private static bool IsNullNode(YamlNode node) => node is YamlScalarNode scalar && IsNull(scalar);

    private static string Describe(YamlNode node, bool sensitive = false) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode when sensitive => "a single value",
        YamlScalarNode scalar => DisplayText.Quote(scalar.Value ?? ""),
        _ => "an alias",
    };
}
