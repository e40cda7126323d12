using Proctor.Configuration.Binding;
using Proctor.Configuration.Building;
using Proctor.Configuration.Models;
using Proctor.Configuration.Options;
using Proctor.Configuration.Policies;
using Proctor.Configuration.Reading;
using Proctor.Configuration.Rules;
using Proctor.Configuration.Secrets;

namespace Proctor.Configuration;

/// <summary>
/// Loads the gateway configuration: YAML, then <c>PROCTOR__…</c> environment overrides, then one pass
/// that binds every key into its typed value (secret references resolved on the way), then the rules
/// across keys, then the immutable <see cref="GatewayModel"/>. Every error is collected before the load
/// fails, each with its key and line, in the order of the file; a failed load returns no model, so a
/// host keeps the model it has.
/// </summary>
public static class ConfigurationLoader
{
    // A configuration with hundreds of upstreams is a few tens of KiB; the limit only bounds what a
    // wrong path (a log file, a disk image) costs before it is refused.
    internal const int MaxFileBytes = 1024 * 1024;

    // One rule per concern, each across keys: every single value was checked while it was bound.
    private static readonly IConfigurationRule[] Rules =
    [
        new UpstreamNameRule(),
        new UpstreamKindRule(),
        new StdioUpstreamRule(),
        new HttpUpstreamRule(),
        new LiteralCredentialRule(),
        new OAuthRule(),
        new UpstreamIdentityRule(),
        new IdentityRule(),
        new GatewayLimitsRule(),
        new StorageRule(),
        new ApprovalsRule(),
        new AccessRule(),
        new ConsoleRule(),
        new MaskingRule(),
        new NotificationsRule(),
    ];

    /// <summary>
    /// Loads a configuration file. Relative <c>${file:…}</c> paths are taken from the file's folder.
    /// </summary>
    /// <param name="environment">The process environment: the source of <c>PROCTOR__…</c> overrides and, unless <paramref name="secrets"/> is given, of <c>${env:…}</c>.</param>
    /// <param name="secrets">Resolves references; by default <c>${env:…}</c> from <paramref name="environment"/> and <c>${file:…}</c>.</param>
    public static ConfigurationLoadResult LoadFile(string path, IReadOnlyDictionary<string, string> environment, ISecretResolver? secrets = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(environment);
        if (ReadFile(path, out var yaml) is { } failure)
        {
            return failure;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        return Load(yaml, path, folder, environment, secrets ?? DefaultSecrets(environment, folder));
    }

    /// <summary>
    /// Loads configuration text. <paramref name="sourceName"/> names it in messages about the text as a
    /// whole (YAML syntax). Relative <c>${file:…}</c> paths and <c>storage.path</c> are taken from the current directory.
    /// </summary>
    public static ConfigurationLoadResult LoadYaml(string yaml, string sourceName, IReadOnlyDictionary<string, string> environment, ISecretResolver? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        ArgumentNullException.ThrowIfNull(environment);
        return Load(yaml, sourceName, Environment.CurrentDirectory, environment, secrets ?? DefaultSecrets(environment, Environment.CurrentDirectory));
    }

    private static ConfigurationLoadResult Load(string yaml, string sourceName, string folder, IReadOnlyDictionary<string, string> environment, ISecretResolver secrets)
    {
        var context = new BindingContext(sourceName, secrets);
        if (!YamlDocumentReader.TryRead(yaml, sourceName, context.Errors, out var root))
        {
            return new ConfigurationLoadResult(null, context.Errors);
        }

        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        root = EnvironmentOverrides.Apply(root, environment, context.Errors, origins);
        var options = new OptionsBinder(context).Bind<ProctorOptions>(root, ProctorOptions.RootWhat);
        foreach (var rule in Rules)
        {
            rule.Check(options, context);
        }

        // The policy is built once the upstreams are known to be valid: its server patterns are checked against them.
        var policy = context.Errors.Count == 0 ? PolicyLoader.FromSection(options.Policy, sourceName, folder, [.. options.Upstreams.Keys], context) : null;
        return context.Errors.Count > 0 || policy is null
            ? new ConfigurationLoadResult(null, Report(context.Errors, origins))
            : new ConfigurationLoadResult(ModelBuilder.Build(options, context, folder, policy), []);
    }

    /// <summary>
    /// Reads only what <c>proctor keys</c> needs: the <c>storage:</c> section of a configuration file
    /// (YAML, environment overrides, structural checks, storage checks). Secret references elsewhere in
    /// the file are not resolved, so managing keys does not need the upstreams' secrets or AWS access.
    /// </summary>
    public static (StorageSettings? Storage, IReadOnlyList<ConfigurationError> Errors) LoadStorage(string path, IReadOnlyDictionary<string, string> environment)
    {
        if (PartialDocument.Read(path, environment, out var failed) is not { } document)
        {
            return (null, failed);
        }

        var storage = new OptionsBinder(document.Context).BindSection<StorageSettings>(document.Section("storage"), "storage", "{ path: \"proctor-data/proctor.db\" }");
        new StorageRule().Check(new ProctorOptions { Storage = storage }, document.Context);
        return document.Context.Errors.Count > 0 ? (null, document.Errors()) : (ModelBuilder.BuildStorage(storage, document.Folder), []);
    }

    /// <summary>
    /// Reads only what <c>proctor approvals</c> (and <c>access</c>, <c>reviews</c>) needs: the <c>storage:</c>, <c>identity:</c>, <c>approvals:</c> and <c>access:</c>
    /// sections (YAML, environment overrides, their checks). The approver's token is verified against the identity
    /// section, as the gateway would; secret references elsewhere are not resolved.
    /// </summary>
    /// <param name="withPolicy">Also read the <c>policy:</c> section (<c>proctor access request|break-glass</c> ask it what may be granted); its server patterns are checked against the names under <c>upstreams:</c>.</param>
    public static (ApproverSections? Sections, IReadOnlyList<ConfigurationError> Errors) LoadApproverSections(string path, IReadOnlyDictionary<string, string> environment, bool withPolicy = false)
    {
        if (PartialDocument.Read(path, environment, out var failed) is not { } document)
        {
            return (null, failed);
        }

        var context = document.Context;
        var binder = new OptionsBinder(context);
        var options = new ProctorOptions
        {
            Storage = binder.BindSection<StorageSettings>(document.Section("storage"), "storage", "{ path: \"proctor-data/proctor.db\" }"),
            Identity = document.Section("identity") is { } identityNode ? binder.BindSection<IdentitySettings>(identityNode, "identity", "{ resource: \"https://gateway.example.com/mcp\", issuers: [\"https://login.example.com\"] }") : null,
            Approvals = binder.BindSection<ApprovalSettings>(document.Section("approvals"), "approvals", "{ holdTime: \"20s\" }"),
            Access = binder.BindSection<AccessSettings>(document.Section("access"), "access", "{ maxDuration: \"8h\" }"),
        };
        foreach (var rule in new IConfigurationRule[] { new StorageRule(), new IdentityRule(), new ApprovalsRule(), new AccessRule() })
        {
            rule.Check(options, context);
        }

        var policy = withPolicy ? PolicyLoader.FromSection(document.Section("policy"), path, document.Folder, UpstreamNames(document), context) : null;

        if (context.Errors.Count > 0)
        {
            return (null, document.Errors());
        }

        return (new ApproverSections(ModelBuilder.BuildStorage(options.Storage, document.Folder), options.Identity is { } identity ? ModelBuilder.BuildIdentity(identity, document.Folder) : null, options.Approvals) { Access = options.Access, Policy = policy }, []);
    }

    private static string[] UpstreamNames(PartialDocument document) =>
        document.Section("upstreams") is YamlDotNet.RepresentationModel.YamlMappingNode upstreams
            ? [.. upstreams.Children.Keys.OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().Select(k => k.Value ?? "")]
            : [];

    /// <summary>
    /// Reads only the <c>notifications:</c> section, with its secret references resolved (the webhook URLs and signing
    /// secrets): the CLI sends the notice of a decision it records itself, since no gateway may be running to do it.
    /// </summary>
    public static (NotificationSettings? Notifications, IReadOnlyList<ConfigurationError> Errors) LoadNotifications(string path, IReadOnlyDictionary<string, string> environment)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        if (PartialDocument.Read(path, environment, out var failed, DefaultSecrets(environment, folder)) is not { } document)
        {
            return (null, failed);
        }

        var notifications = new OptionsBinder(document.Context).BindSection<NotificationSettings>(document.Section("notifications"), "notifications", "{ publicUrl: \"https://proctor.bank.example\", webhooks: [] }");
        new NotificationsRule().Check(new ProctorOptions { Notifications = notifications }, document.Context);
        return document.Context.Errors.Count > 0 ? (null, document.Errors()) : (notifications, []);
    }

    /// <summary>
    /// A configuration file read for some of its sections only (the CLI's verbs): parsed, with environment overrides
    /// applied; secret references are not resolved, so the verbs need neither the upstreams' secrets nor AWS access.
    /// </summary>
    private sealed class PartialDocument
    {
        private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);
        private YamlDotNet.RepresentationModel.YamlMappingNode? _root;

        private PartialDocument(string path, ISecretResolver secrets)
        {
            Context = new BindingContext(path, secrets);
            Folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        }

        public BindingContext Context { get; }

        /// <summary>Where relative paths in the file are taken from.</summary>
        public string Folder { get; }

        /// <param name="secrets">Resolves the references of the sections read; by default none is resolved (a reference is an error).</param>
        /// <returns>Null when the file cannot be read or parsed; <paramref name="errors"/> then says why.</returns>
        public static PartialDocument? Read(string path, IReadOnlyDictionary<string, string> environment, out IReadOnlyList<ConfigurationError> errors, ISecretResolver? secrets = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            ArgumentNullException.ThrowIfNull(environment);
            errors = [];
            if (ReadFile(path, out var yaml) is { } failure)
            {
                errors = failure.Errors;
                return null;
            }

            var document = new PartialDocument(path, secrets ?? new CompositeSecretResolver());
            if (!YamlDocumentReader.TryRead(yaml, path, document.Context.Errors, out var root))
            {
                errors = document.Context.Errors;
                return null;
            }

            document._root = EnvironmentOverrides.Apply(root, environment, document.Context.Errors, document._origins) as YamlDotNet.RepresentationModel.YamlMappingNode;
            return document;
        }

        public YamlDotNet.RepresentationModel.YamlNode? Section(string name) =>
            _root is not null && _root.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode(name), out var node) ? node : null;

        /// <summary>The errors found, each named with where its value came from (the file or an environment override).</summary>
        public IReadOnlyList<ConfigurationError> Errors() => Report(Context.Errors, _origins);
    }

    /// <summary>Null when the file can be read; otherwise the failure naming it.</summary>
    private static ConfigurationLoadResult? ReadFile(string path, out string yaml)
    {
        yaml = "";
        try
        {
            if (Directory.Exists(path))
            {
                return Failed(path, "is a folder; pass the path of the configuration file, e.g. proctor.yaml");
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return Failed(path, "the configuration file does not exist; check the path");
            }

            if (info.Length > MaxFileBytes)
            {
                return Failed(path, "is larger than 1 MiB; check that this is the configuration file");
            }

            yaml = File.ReadAllText(path);
        }
        catch (UnauthorizedAccessException)
        {
            return Failed(path, "cannot be read (permission denied); let the gateway's user read it");
        }
        catch (IOException e)
        {
            return Failed(path, $"cannot be read: {e.Message}");
        }

        return null;
    }

    private static CompositeSecretResolver DefaultSecrets(IReadOnlyDictionary<string, string> environment, string folder) =>
        new(new EnvironmentSecretResolver(environment), new FileSecretResolver(folder), new Secrets.Aws.AwsSecretResolver(environment));

    /// <summary>Errors in the order of the file (those about keys it does not hold last), each naming the variable that set its key.</summary>
    private static List<ConfigurationError> Report(List<ConfigurationError> errors, Dictionary<string, string> origins) =>
        [.. errors.Select((error, order) => (Error: NameOverride(error, origins), Order: order))
            .OrderBy(entry => entry.Error.Line ?? int.MaxValue)
            .ThenBy(entry => entry.Order)
            .Select(entry => entry.Error)];

    /// <summary>An error about a key set by an environment variable names the variable, since the file does not show the value.</summary>
    private static ConfigurationError NameOverride(ConfigurationError error, Dictionary<string, string> origins)
    {
        var origin = origins
            .Where(pair => KeyPath.IsWithin(error.Key, pair.Key))
            .OrderByDescending(pair => pair.Key.Length)
            .Select(pair => pair.Value)
            .FirstOrDefault();
        return origin is null ? error : error with { Message = $"{error.Message} (set by environment variable {origin})" };
    }

    private static ConfigurationLoadResult Failed(string key, string message) =>
        new(null, [new ConfigurationError(key, message)]);
}
