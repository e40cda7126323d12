using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.Policy.Building;
using Proctor.Policy.Decisions;
using Proctor.Policy.Documents;

namespace Proctor.Policy.Tests;

/// <summary>Policies for tests: read from YAML and built, with a stand-in hash (the host hashes with RFC 8785).</summary>
internal static class Policies
{
    /// <summary>A Wednesday, 14:00 in New York (19:00 UTC, daylight saving not in force).</summary>
    public static readonly DateTimeOffset WorkingHours = new(2026, 3, 4, 19, 0, 0, TimeSpan.Zero);

    /// <summary>A Wednesday, 23:00 in New York.</summary>
    public static readonly DateTimeOffset Night = new(2026, 3, 5, 4, 0, 0, TimeSpan.Zero);

    public static string Hash(JsonObject canonical) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));

    public static PolicyModel Build(string yaml, PolicyBuildSettings? settings = null)
    {
        var result = Result(yaml, settings);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Model!;
    }

    public static PolicyBuildResult Result(string yaml, PolicyBuildSettings? settings = null)
    {
        var read = PolicyDocumentReader.Read(yaml, "policy.yaml");
        return read.Succeeded ? PolicyBuilder.Build(read.Options, Hash, settings) : new PolicyBuildResult(null, read.Errors, null);
    }

    /// <summary>Every problem, as the operator reads them.</summary>
    public static string[] Errors(string yaml, PolicyBuildSettings? settings = null) => [.. Result(yaml, settings).Errors.Select(e => e.ToString())];

    public static PolicyCaller User(string subject, params string[] groups) => new(subject) { Groups = groups };

    public static PolicyDecision Decide(this PolicyModel model, PolicyCaller caller, string server, string tool, string? args = null, DateTimeOffset? at = null) =>
        model.Decide(new PolicyRequest(caller, PolicyTarget.Tool(server, tool), args is null ? null : JsonNode.Parse(args), at ?? WorkingHours));

    public static bool Visible(this PolicyModel model, PolicyCaller caller, string server, string tool, DateTimeOffset? at = null) =>
        model.IsVisible(caller, PolicyTarget.Tool(server, tool), at ?? WorkingHours);
}
