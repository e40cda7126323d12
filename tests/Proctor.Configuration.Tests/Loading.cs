using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Tests;

/// <summary>Loads YAML text the way the host does, with a controlled environment.</summary>
internal static class Loading
{
    public static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static ConfigurationLoadResult Load(string yaml, IReadOnlyDictionary<string, string>? environment = null, ISecretResolver? secrets = null) =>
        ConfigurationLoader.LoadYaml(yaml, "proctor.yaml", environment ?? NoEnvironment, secrets);

    public static GatewayModel Model(string yaml, IReadOnlyDictionary<string, string>? environment = null, ISecretResolver? secrets = null)
    {
        var result = Load(yaml, environment, secrets);
        Assert.True(result.Succeeded, "Expected the configuration to load, got:\n" + string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        return result.Model!;
    }

    /// <summary>The errors as the operator sees them, "key: message".</summary>
    public static string[] Errors(string yaml, IReadOnlyDictionary<string, string>? environment = null, ISecretResolver? secrets = null)
    {
        var result = Load(yaml, environment, secrets);
        Assert.False(result.Succeeded, "Expected the configuration to be refused.");
        Assert.Null(result.Model);
        return [.. result.Errors.Select(error => error.ToString())];
    }

    public static Dictionary<string, string> Environment(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal);
}
