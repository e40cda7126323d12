using System.Text;

namespace Proctor.Configuration.Formats;

/// <summary>How values found in the file are shown in messages.</summary>
internal static class DisplayText
{
    // Long enough for any URL or path an operator would recognize; a pasted blob is cut.
    private const int MaxShown = 80;

    /// <summary>The value in double quotes, with control characters escaped and long values cut.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value.Length > MaxShown ? value[..MaxShown] : value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        if (value.Length > MaxShown)
        {
            builder.Append('…');
        }

        return builder.Append('"').ToString();
    }

    /// <summary>"a", "a or b", "a, b or c".</summary>
    public static string OneOf(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1],
    };
}
