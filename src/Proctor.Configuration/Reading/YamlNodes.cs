using Proctor.Configuration.Formats;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Proctor.Configuration.Reading;

/// <summary>How YAML nodes read as configuration: what counts as "not written", and how a node is named in a message.</summary>
internal static class YamlNodes
{
    /// <summary>Plain <c>~</c>, <c>null</c> or nothing: YAML's null, read as "not written".</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode scalar
        && scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The line of a node in the file; 0 for a node an environment override made, which is in no file.</summary>
    public static int LineOf(YamlNode node) => node.End.Index > 0 ? (int)node.Start.Line : 0;

    /// <summary>What was found, for "expected …, found …"; a <paramref name="sensitive"/> value is never quoted.</summary>
    public static string Describe(YamlNode node, bool sensitive = false) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode when sensitive => "a single value",
        YamlScalarNode scalar => DisplayText.Quote(scalar.Value ?? ""),
        _ => "an alias",
    };
}
