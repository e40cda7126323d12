using System.Text.Json.Nodes;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>
/// tests/node/ts-session.mjs: one real TypeScript SDK client (v1, or v2 pinned to 2026-07-28) that stays connected while
/// a test changes things on the gateway between its steps, so each step shows what that same client sees next.
/// </summary>
internal sealed class TypeScriptSession : IAsyncDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _node;
    private int _lastId;

    private TypeScriptSession(ChildProcess node, string? protocolVersion)
    {
        _node = node;
        ProtocolVersion = protocolVersion;
    }

    /// <summary>The protocol version the client negotiated (2026-07-28 for a pinned v2).</summary>
    public string? ProtocolVersion { get; }

    /// <summary>Every elicitation the client was asked, in order (its <c>params</c>), when it was started to answer them.</summary>
    public IReadOnlyList<JsonObject> Elicited => [.. _node.Lines.Where(l => l.StartsWith("{\"elicited\":", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l)!["elicited"]!.AsObject())];

    /// <param name="elicit">Null: the client declares no elicitation. Otherwise it declares it and answers as a user would (ts-session.mjs: <c>url</c> accept|decline|cancel, <c>justification</c> text, which declares form mode too).</param>
    public static async Task<TypeScriptSession> ConnectAsync(string flavour, Uri endpoint, string? bearer, JsonObject? elicit = null)
    {
        var script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "ts-session.mjs");
        var node = ChildProcess.Start(Peers.Node22, [script, flavour, endpoint.ToString(), bearer ?? "", .. elicit is null ? Array.Empty<string>() : [elicit.ToJsonString()]], workingDirectory: Path.GetDirectoryName(script));
        try
        {
            var connected = await ReplyAsync(node, line => line.StartsWith("{\"connected\":", StringComparison.Ordinal));
            return new TypeScriptSession(node, (string?)connected["connected"]);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>The names of every tool the client lists (all pages); throws with the client's error when listing fails.</summary>
    public async Task<string[]> ListToolsAsync()
    {
        var reply = await StepAsync(new JsonObject { ["op"] = "list" });
        return reply["tools"] is JsonArray tools
            ? [.. tools.Select(t => (string)t!).Order(StringComparer.Ordinal)]
            : throw new InvalidOperationException("The TypeScript client could not list tools: " + reply.ToJsonString());
    }

    /// <summary>Calls a tool; the reply holds <c>result</c> (the CallToolResult) or <c>error</c> (<c>code</c>, <c>message</c>, <c>data</c> of the error the client raised).</summary>
    public Task<JsonObject> CallToolAsync(string name, JsonObject? arguments = null) =>
        StepAsync(new JsonObject { ["op"] = "call", ["name"] = name, ["arguments"] = arguments ?? [] });

    private async Task<JsonObject> StepAsync(JsonObject step)
    {
        var id = Interlocked.Increment(ref _lastId);
        step["id"] = id;
        await _node.WriteLineAsync(step.ToJsonString());
        var prefix = $"{{\"id\":{id},";
        return await ReplyAsync(_node, line => line.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static async Task<JsonObject> ReplyAsync(ChildProcess node, Func<string, bool> isReply)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        while (true)
        {
            if (node.Lines.FirstOrDefault(isReply) is { } line)
            {
                return JsonNode.Parse(line)!.AsObject();
            }

            if (node.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The TypeScript client gave no answer ({(node.HasExited ? $"exited {node.ExitCode}" : "timed out")}); its output:\n{node.Output}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();
}
