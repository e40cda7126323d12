namespace Proctor.Mcp.Routing;

/// <summary><c>/mcp/{server}</c> (one upstream, names unchanged) or <c>/mcp</c> (<see cref="Server"/> null: all upstreams, names prefixed).</summary>
public readonly record struct Route(string? Server)
{
    public static readonly Route Aggregate = new(null);

    public bool IsAggregate => Server is null;

    public override string ToString() => Server is null ? "/mcp" : $"/mcp/{Server}";
}
