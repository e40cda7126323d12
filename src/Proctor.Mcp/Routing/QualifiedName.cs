namespace Proctor.Mcp.Routing;

/// <summary>
/// <c>{server}__{name}</c>: double underscore because LLM APIs accept only <c>[A-Za-z0-9_-]</c> in tool
/// names (MCP.md). Server names cannot contain '_' (configuration rule), so the first "__" splits.
/// </summary>
public static class QualifiedName
{
    public const string Separator = "__";

    public static string Join(string server, string name) => server + Separator + name;

    public static bool TrySplit(string qualified, out string server, out string name)
    {
        var at = qualified.IndexOf(Separator, StringComparison.Ordinal);
        if (at <= 0)
        {
            server = name = "";
            return false;
        }

        server = qualified[..at];
        name = qualified[(at + Separator.Length)..];
        return name.Length > 0;
    }
}
