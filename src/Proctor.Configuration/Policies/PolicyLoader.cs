using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Configuration.Models;
using Proctor.Ledger.Canonical;
using Proctor.Policy;
using Proctor.Policy.Building;
using Proctor.Policy.Documents;
using YamlDotNet.RepresentationModel;

namespace Proctor.Configuration.Policies;

/// <summary>What loading a policy gave: the policy, or every problem (each naming the rule and field), never both.</summary>
public sealed record PolicyLoadResult(GatewayPolicy? Policy, IReadOnlyList<PolicyError> Errors)
{
    public bool Succeeded => Policy is not null;
}

/// <summary>
/// Reads and builds the gateway's policy (decision 0029): from a file, from the configuration's
/// <c>policy:</c> section, or the built-in default when there is none. Each policy is hashed as SHA-256 of
/// the RFC 8785 form of its canonical JSON, by the ledger's canonicalizer, so that the hash a ledger record
/// names can be recomputed from the document. Server patterns must match a configured upstream: a pattern
/// that matches none is a typo that leaves its rule without effect, and for a deny rule that is a hole.
/// </summary>
public static class PolicyLoader
{
    /// <summary>The id of the rule of the default policy; ledger records of a gateway without a policy name it.</summary>
    public const string DefaultRuleId = "no-policy-configured";

    // A policy of a few thousand rules is a few hundred KiB; as for the configuration, the limit only bounds a wrong path.
    private const int MaxFileBytes = 1024 * 1024;

    private const string DefaultDocument = $$"""
        rules:
          - id: {{DefaultRuleId}}
            description: No policy section is configured; every caller that reaches the gateway may use every upstream (decision 0029).
            effect: allow
            subjects: { everyone: true }
            targets: { servers: ["*"] }
        """;

    private static readonly PolicyBuildSettings Settings = new() { HostRoles = IdentityRoles.Known };

    /// <summary>Lower-case hex SHA-256 of the RFC 8785 form of <paramref name="canonical"/> (the policy's canonical JSON).</summary>
    public static string Hash(JsonObject canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(canonical))));

    /// <summary>The policy of a configuration without <c>policy:</c>: allow every caller that reached the gateway, recorded and hashed like any other.</summary>
    public static GatewayPolicy Default()
    {
        var read = PolicyDocumentReader.Read(DefaultDocument, GatewayPolicy.DefaultSource);
        var built = PolicyBuilder.Build(read.Options, Hash, Settings);
        return new GatewayPolicy(built.Model ?? throw new InvalidOperationException("The built-in default policy does not build: " + string.Join("; ", built.Errors)), GatewayPolicy.DefaultSource, null);
    }

    /// <summary>
    /// Reads a policy file (its own YAML document). <paramref name="servers"/>: the configured upstreams, which
    /// every server pattern must match; null skips that check (<c>proctor policy test</c> without a configuration).
    /// </summary>
    public static PolicyLoadResult LoadFile(string path, IReadOnlyCollection<string>? servers)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (ReadText(full, out var text) is { } failure)
        {
            return new PolicyLoadResult(null, [new PolicyError(full, failure)]);
        }

        var read = PolicyDocumentReader.Read(text, full);
        return Build(read, full, full, servers);
    }

    /// <summary>Reads the <c>policy:</c> section of a configuration: an inline document, or <c>{ file: PATH }</c> relative to <paramref name="folder"/>.</summary>
    internal static GatewayPolicy? FromSection(YamlNode? section, string sourceName, string folder, IReadOnlyCollection<string> servers, Binding.BindingContext context)
    {
        if (section is null || Reading.YamlNodes.IsNull(section))
        {
            return Default();
        }

        if (section is not YamlMappingNode mapping)
        {
            context.Add("policy", $"expected a policy document (a mapping with rules, roles, timeWindows) or {{ file: PATH }}, found {Reading.YamlNodes.Describe(section)}; write e.g. policy: {{ file: \"policy.yaml\" }}");
            return null;
        }

        if (mapping.Children.TryGetValue(new YamlScalarNode("file"), out var fileNode))
        {
            if (mapping.Children.Count > 1)
            {
                context.Add("policy", "holds file: and other keys; either name a policy file (policy: { file: \"policy.yaml\" }) or write the rules inline, not both");
                return null;
            }

            if (fileNode is not YamlScalarNode { Value: { Length: > 0 } file })
            {
                context.Add("policy.file", "expected the path of a policy file, e.g. \"policy.yaml\" (relative to the configuration's folder)");
                return null;
            }

            var loaded = LoadFile(Path.Combine(folder, file), servers);
            foreach (var error in loaded.Errors)
            {
                context.Add("policy.file", $"{file}: {error}");
            }

            return loaded.Policy;
        }

        var inline = Build(PolicyDocumentReader.Read(section, sourceName), $"{sourceName} (policy:)", null, servers);
        foreach (var error in inline.Errors)
        {
            context.Errors.Add(new ConfigurationError("policy." + error.DisplayPath, error.Message) { Line = (int?)error.Location?.Line });
        }

        return inline.Policy;
    }

    private static PolicyLoadResult Build(PolicyReadResult read, string source, string? file, IReadOnlyCollection<string>? servers)
    {
        if (!read.Succeeded)
        {
            return new PolicyLoadResult(null, read.Errors);
        }

        var built = PolicyBuilder.Build(read.Options, Hash, Settings);
        if (built.Model is not { } model)
        {
            return new PolicyLoadResult(null, built.Errors);
        }

        var unmatched = servers is null ? [] : model.CheckServers(servers);
        return unmatched.Count > 0 ? new PolicyLoadResult(null, unmatched) : new PolicyLoadResult(new GatewayPolicy(model, source, file), []);
    }

    /// <summary>Null when the file can be read; otherwise what is wrong and what to do.</summary>
    private static string? ReadText(string path, out string text)
    {
        text = "";
        try
        {
            if (Directory.Exists(path))
            {
                return "is a folder; name the policy file, e.g. policy.yaml";
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return "the policy file does not exist; check the path (relative paths start at the configuration's folder)";
            }

            if (info.Length > MaxFileBytes)
            {
                return "is larger than 1 MiB; check that this is the policy file";
            }

            text = File.ReadAllText(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "cannot be read (permission denied); let the gateway's user read it";
        }
        catch (IOException e)
        {
            return $"cannot be read: {e.Message}";
        }
    }
}
