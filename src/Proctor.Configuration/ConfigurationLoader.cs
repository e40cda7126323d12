using System.Collections.Immutable;
using Proctor.Configuration.Building;
using Proctor.Configuration.Reading;
using Proctor.Configuration.Secrets;
using Proctor.Configuration.Validation;

namespace Proctor.Configuration;

/// <summary>
/// Loads the gateway configuration: YAML, then <c>PROCTOR__…</c> environment overrides, then every
/// validator, then the immutable <see cref="GatewayModel"/>. Every error is collected before the load
/// fails; a failed load returns no model, so a host keeps the model it has.
/// </summary>
public static class ConfigurationLoader
{
    // A configuration with hundreds of upstreams is a few tens of KiB; the limit only bounds what a
    // wrong path (a log file, a disk image) costs before it is refused.
    internal const int MaxFileBytes = 1024 * 1024;

    // One validator per concern. Order matters where a validator reads what SecretReferenceValidator
    // resolved: HttpUpstreamValidator checks the URL and header values that will actually be used, and
    // MaskingValidator the deny-list terms.
    private static readonly IOptionsValidator[] Validators =
    [
        new GatewayValidator(),
        new LoggingValidator(),
        new StorageValidator(),
        new IdentityValidator(),
        new IdentityRolesValidator(),
        new UpstreamNameValidator(),
        new UpstreamTransportValidator(),
        new SecretReferenceValidator(),
        new StdioUpstreamValidator(),
        new HttpUpstreamValidator(),
        new UpstreamIdentityValidator(),
        new UpstreamLimitsValidator(),
        new UpstreamOAuthValidator(),
        new MaskingValidator(),
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
        var errors = new List<ConfigurationError>();
        if (!YamlDocumentReader.TryRead(yaml, sourceName, errors, out var root))
        {
            return new ConfigurationLoadResult(null, errors.ToImmutableArray());
        }

        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        root = EnvironmentOverrides.Apply(root, environment, errors, origins);
        var options = new OptionsBinder(sourceName, errors).Bind(root);
        var context = new ValidationContext(secrets, errors);
        foreach (var validator in Validators)
        {
            validator.Validate(options, context);
        }

        return errors.Count > 0
            ? new ConfigurationLoadResult(null, errors.Select(error => NameOverride(error, origins)).ToImmutableArray())
            : new ConfigurationLoadResult(ModelBuilder.Build(options, context.Resolved, context.GatewaySecrets, folder), []);
    }

    /// <summary>
    /// Reads only what <c>proctor keys</c> needs: the <c>storage:</c> section of a configuration file
    /// (YAML, environment overrides, structural checks, storage checks). Secret references elsewhere in
    /// the file are not resolved, so managing keys does not need the upstreams' secrets or AWS access.
    /// </summary>
    public static (StorageSettings? Storage, IReadOnlyList<ConfigurationError> Errors) LoadStorage(string path, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(environment);
        if (ReadFile(path, out var yaml) is { } failure)
        {
            return (null, failure.Errors);
        }

        var errors = new List<ConfigurationError>();
        if (!YamlDocumentReader.TryRead(yaml, path, errors, out var root))
        {
            return (null, errors);
        }

        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        root = EnvironmentOverrides.Apply(root, environment, errors, origins);
        var options = new OptionsBinder(path, errors).Bind(root);
        new StorageValidator().Validate(options, new ValidationContext(new CompositeSecretResolver(), errors));
        if (errors.Count > 0)
        {
            return (null, errors.Select(error => NameOverride(error, origins)).ToImmutableArray());
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        return (ModelBuilder.BuildStorage(options, folder), []);
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
