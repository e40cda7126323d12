namespace Proctor.Mcp.Upstreams.Supervision;

/// <summary>
/// Tells a connected upstream that has gone quiet from one that is stuck (stopped, deadlocked, a peer that
/// vanished without closing the connection): after <c>pingInterval</c> without a word from it, the gateway
/// pings; no answer within <c>StallAfter</c> makes it stalled, and any message from it makes it ready again.
/// A failed ping on a transport that can tell (connection refused, session gone) ends the connection.
/// </summary>
internal sealed class LivenessWatch(UpstreamSupervisor supervisor, UpstreamRestartPolicy policy, Func<CancellationToken, Task> ping)
{
    private long _lastHeard = supervisor.Time.GetTimestamp();

    /// <summary>Call on every message from the upstream.</summary>
    public void Heard()
    {
        Volatile.Write(ref _lastHeard, supervisor.Time.GetTimestamp());
        supervisor.MarkResponsive();
    }

    /// <summary>Runs until the connection ends (<paramref name="connection"/> is cancelled).</summary>
    public async Task RunAsync(CancellationToken connection)
    {
        var time = supervisor.Time;
        try
        {
            while (true)
            {
                await Task.Delay(policy.PingInterval, time, connection).ConfigureAwait(false);
                var heard = Volatile.Read(ref _lastHeard);
                if (time.GetElapsedTime(heard) < policy.PingInterval)
                {
                    continue;
                }

                using var answer = new CancellationTokenSource(policy.StallAfter, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(answer.Token, connection);
                try
                {
                    await ping(linked.Token).ConfigureAwait(false);
                    Heard();
                }
                catch (OperationCanceledException) when (answer.IsCancellationRequested && !connection.IsCancellationRequested)
                {
                    var silent = time.GetElapsedTime(heard);
                    supervisor.MarkStalled(
                        $"it has sent nothing for {silent.TotalSeconds:0} s and did not answer a ping within {policy.StallAfter.TotalSeconds:0.#} s",
                        time.GetUtcNow() - silent);
                }
                catch (UpstreamUnavailableException)
                {
                    // The transport saw the failure and ends the connection itself; the supervisor reports it.
                }
            }
        }
        catch (OperationCanceledException) when (connection.IsCancellationRequested)
        {
        }
    }
}
