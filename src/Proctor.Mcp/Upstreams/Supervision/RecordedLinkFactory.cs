using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Upstreams.Calls;

namespace Proctor.Mcp.Upstreams.Supervision;

/// <summary>
/// Records the spawn and exit of every process a link factory starts (ledger events <c>upstream.spawn</c>,
/// <c>upstream.exit</c>), so that the transport only moves messages. The exit is recorded after the
/// spawn, even when the spawn is slow to commit and the process has long exited, and before the link
/// reports itself closed. A record the ledger cannot take is logged: the process runs or has ended either way.
/// </summary>
internal sealed partial class RecordedLinkFactory(IUpstreamLinkFactory inner, IUpstreamRecorder recorder, ILogger logger) : IUpstreamLinkFactory
{
    public async Task<IUpstreamLink> OpenAsync(CancellationToken cancellationToken)
    {
        var link = await inner.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (link is not IProcessLink process)
        {
            return link;
        }

        var model = process.Model;
        await RecordAsync(model.Name, process.ProcessId, () => recorder.SpawnedAsync(
            new UpstreamSpawn(model.Name, process.ProcessId, model.Command, model.Args, [.. model.Environment.Keys], model.WorkingDirectory), CancellationToken.None)).ConfigureAwait(false);
        var exitRecorded = RecordExitAsync(model.Name, process);
        return new RecordedLink(link, exitRecorded, model.ShutdownGrace);
    }

    private async Task RecordExitAsync(string upstream, IProcessLink process)
    {
        var exit = await process.Exited.ConfigureAwait(false);
        await RecordAsync(upstream, exit.ProcessId, () => recorder.ExitedAsync(new UpstreamExit(upstream, exit.ProcessId, exit.ExitCode, exit.Reason, exit.Uptime), CancellationToken.None)).ConfigureAwait(false);
    }

    private async Task RecordAsync(string upstream, int pid, Func<ValueTask> record)
    {
        try
        {
            await record().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RecordingFailedException or ObjectDisposedException or InvalidOperationException)
        {
            Log.NotRecorded(logger, upstream, pid, ex.Message);
        }
    }

    /// <summary>The link as it was, except that it is closed only once its process's exit is recorded.</summary>
    private sealed class RecordedLink(IUpstreamLink inner, Task exitRecorded, TimeSpan grace) : IUpstreamLink
    {
        private readonly Task<string> _closed = CloseAfterRecordAsync(inner, exitRecorded);

        public ChannelReader<LinkMessage> Incoming => inner.Incoming;

        public Task<string> Closed => _closed;

        public string? NegotiatedVersion
        {
            get => inner.NegotiatedVersion;
            set => inner.NegotiatedVersion = value;
        }

        public DateTimeOffset? BlockedSince => inner.BlockedSince;

        public ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken) => inner.SendAsync(message, cancellationToken);

        public ValueTask SendAsync(UpstreamRequest request, CancellationToken cancellationToken) => inner.SendAsync(request, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            try
            {
                await exitRecorded.WaitAsync(grace).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        private static async Task<string> CloseAfterRecordAsync(IUpstreamLink inner, Task exitRecorded)
        {
            var reason = await inner.Closed.ConfigureAwait(false);
            if (inner is IProcessLink { Exited.IsCompleted: true })
            {
                // The process ended: its exit is evidence before the link is reported closed. (A link closed
                // with its process still running, a broken stdin, is disposed next, which ends the process.)
                await exitRecorded.ConfigureAwait(false);
            }

            return reason;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1207, Level = LogLevel.Error, Message = "Upstream {Upstream}: the spawn or exit of pid {Pid} could not be recorded in the audit ledger: {Reason}")]
        public static partial void NotRecorded(ILogger logger, string upstream, int pid, string reason);
    }
}
