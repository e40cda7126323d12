using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Proctor.Configuration.Reading;

/// <summary>Parses the text into a YAML node tree; syntax errors are reported with line and column.</summary>
internal static class YamlDocumentReader
{
    /// <summary>
    /// Returns false (with one error added) when the text is not a single well-formed YAML document.
    /// An empty document gives a null <paramref name="root"/>.
    /// </summary>
    public static bool TryRead(string yaml, string sourceName, List<ConfigurationError> errors, out YamlNode? root)
    {
        root = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var (line, column) = (e.Start.Line, e.Start.Column);
            if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindIndentingTab(yaml, line) is { } tab)
            {
                // The parser reports the start of the block the tab broke, which can be far above it.
                (line, column) = tab;
            }

            errors.Add(new ConfigurationError(sourceName, $"line {line}, column {column}: {Explain(e.Message)}"));
            return false;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            errors.Add(new ConfigurationError(
                sourceName,
                $"line {second.Line}, column {second.Column}: a configuration file holds one YAML document; remove the \"---\" that starts a second one"));
            return false;
        }

        root = stream.Documents.Count == 1 ? stream.Documents[0].RootNode : null;
        return true;
    }

    private static (long Line, long Column)? FindIndentingTab(string yaml, long fromLine)
    {
        var lines = yaml.Split('\n');
        for (var i = (int)Math.Max(0, fromLine - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    private static string Explain(string message)
    {
        message = message.TrimEnd('.');
        if (message.StartsWith("Duplicate key ", StringComparison.Ordinal))
        {
            return $"the key \"{message["Duplicate key ".Length..]}\" appears twice in the same mapping; keep one";
        }

        var text = char.ToLowerInvariant(message[0]) + message[1..];
        if (text.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            return text + "; indent with spaces, not tabs";
        }

        if (text.Contains("did not find expected key", StringComparison.Ordinal)
            || text.Contains("mapping values are not allowed", StringComparison.Ordinal)
            || text.Contains("found invalid mapping", StringComparison.Ordinal))
        {
            return text + "; check the indentation, and quote values that contain \": \"";
        }

        return text;
    }
}
