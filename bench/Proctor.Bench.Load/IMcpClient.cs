namespace Proctor.Bench.Load;

/// <summary>A session-era MCP client that has finished its handshake and sends the scenario's tools/call.</summary>
internal interface IMcpClient : IAsyncDisposable
{
    /// <summary>One tools/call; null when it was answered correctly, else what went wrong.</summary>
    Task<string?> CallAsync(CancellationToken cancellationToken);

    /// <summary>How the answers came (plain JSON or SSE), for the notes.</summary>
    string AnswerKinds => "";
}
