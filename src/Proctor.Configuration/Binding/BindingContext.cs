using Proctor.Configuration.Reading;
using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Binding;

/// <summary>
/// What binding found besides the values, for the rules that run after it: every error so far, where each
/// key is written (line, and the text as written), which keys were refused (reported already, so a rule
/// skips them), and what secret resolution learned.
/// </summary>
internal sealed class BindingContext(string sourceName, ISecretResolver secrets)
{
    private readonly Dictionary<string, int> lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> keys = new(StringComparer.Ordinal);
    private readonly HashSet<string> refused = new(StringComparer.Ordinal);

    public string SourceName { get; } = sourceName;

    public ISecretResolver Secrets { get; } = secrets;

    public List<ConfigurationError> Errors { get; } = [];

    /// <summary>The plaintext of every reference resolved for the gateway's own credentials: the masking policy redacts them.</summary>
    public HashSet<string> GatewaySecrets { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys whose secret value holds no reference: written literally.</summary>
    public HashSet<string> LiteralSecrets { get; } = new(StringComparer.Ordinal);

    public void Add(string key, string message) =>
        Errors.Add(new ConfigurationError(key, message) { Line = LineOf(key) });

    /// <summary>Records a key as written under <paramref name="parent"/>; <paramref name="line"/> 0 when it is not in the file.</summary>
    public void Written(string parent, string key, string path, int line)
    {
        if (!keys.TryGetValue(parent, out var list))
        {
            keys[parent] = list = [];
        }

        list.Add(key);
        Located(path, line);
    }

    public void Located(string path, int line) => lines[path] = line;

    public void Text(string path, string text) => texts[path] = text;

    public void Refuse(string path) => refused.Add(path);

    public bool IsWritten(string parent, string key) => keys.TryGetValue(parent, out var list) && list.Contains(key);

    /// <summary>The keys written in the mapping at <paramref name="parent"/>, in the order written.</summary>
    public IReadOnlyList<string> KeysOf(string parent) => keys.TryGetValue(parent, out var list) ? list : [];

    public bool IsRefused(string path) => refused.Contains(path);

    /// <summary>Whether the key, or anything written below it, was refused.</summary>
    public bool IsRefusedWithin(string path) => refused.Any(candidate => KeyPath.IsWithin(candidate, path));

    /// <summary>The value as written, for messages that quote it; null when it was not written.</summary>
    public string? TextOf(string path) => texts.GetValueOrDefault(path);

    /// <summary>The line of the key, or of the nearest enclosing key that is in the file.</summary>
    private int? LineOf(string path)
    {
        for (var candidate = path; candidate.Length > 0; candidate = KeyPath.Parent(candidate))
        {
            if (lines.TryGetValue(candidate, out var line))
            {
                return line > 0 ? line : null; // set by an environment variable: in no file
            }
        }

        return null;
    }
}
