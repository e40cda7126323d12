namespace Proctor.Policy.Decisions;

/// <summary>What a request addresses on an upstream.</summary>
public enum TargetKind
{
    /// <summary>The server as a whole: a method with no tool, prompt or resource (e.g. <c>completion/complete</c> without a ref, or a method passed through on <c>/mcp/{server}</c>).</summary>
    Server,
    Tool,
    Prompt,

    /// <summary>A resource URI or a resource template's URI template.</summary>
    Resource,
}

/// <summary>
/// A server and one name on it, as the upstream knows it: on <c>/mcp</c> the dispatcher removes the
/// <c>{server}__</c> prefix first, so both endpoints ask about the same target. Names are compared
/// ordinally (docs/policy.md, "Names").
/// </summary>
public readonly record struct PolicyTarget(string Server, TargetKind Kind, string Name)
{
    public static PolicyTarget Tool(string server, string name) => new(server, TargetKind.Tool, name);

    public static PolicyTarget Prompt(string server, string name) => new(server, TargetKind.Prompt, name);

    public static PolicyTarget Resource(string server, string uri) => new(server, TargetKind.Resource, uri);

    public static PolicyTarget WholeServer(string server) => new(server, TargetKind.Server, "");

    /// <summary>The kind as policies and conditions spell it: <c>tool</c>, <c>prompt</c>, <c>resource</c>, <c>server</c>.</summary>
    public string KindName => Names.Of(Kind);

    public override string ToString() => Kind == TargetKind.Server ? $"server '{Server}'" : $"{KindName} '{Name}' on server '{Server}'";

    internal static class Names
    {
        public static string Of(TargetKind kind) => kind switch
        {
            TargetKind.Tool => "tool",
            TargetKind.Prompt => "prompt",
            TargetKind.Resource => "resource",
            _ => "server",
        };
    }
}
