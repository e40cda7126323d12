using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Mcp.Upstreams.Calls;
using Proctor.Mcp.Upstreams.Framing;
using Proctor.Mcp.Upstreams.Supervision;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// A spawned MCP server speaking newline-delimited JSON on stdin/stdout. stderr is free-form logging
/// (MCP stdio transport) and goes to the gateway's log, masked first: a server may print the records
/// it handles. Both directions are bounded: stdin through a queue of <c>maxQueuedMessages</c> written by
/// one loop (a stopped process cannot hold a caller past its timeout), stdout lines by
/// <c>maxMessageBytes</c>. Shutdown follows the spec's order: close stdin, then SIGTERM, then SIGKILL,
/// each after <c>shutdownGrace</c>. Spawn and exit are recorded by <see cref="RecordedLinkFactory"/>.
/// </summary>
internal sealed partial class StdioLink : IUpstreamLink, IProcessLink
{
    /// <summary>
    /// stderr is logged cut to 2,000 characters; a longer line is read through without being held.
    /// 64 KiB keeps any line the log could show, whatever its encoding, with room to mask it whole.
    /// </summary>
    private const int MaxStderrLineBytes = 64 << 10;

    private readonly Process _process;
    private readonly StdioUpstreamModel _model;
    private readonly ILogger _logger;
    private readonly ILogLineMasker _masker;
    private readonly Channel<LinkMessage> _incoming = Channel.CreateBounded<LinkMessage>(new BoundedChannelOptions(1024) { SingleWriter = true });
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ProcessExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LineWriter _stdin;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Task _stdoutLoop;
    private string _exitReason = "exited";

    private StdioLink(Process process, StdioUpstreamModel model, ILogger logger, ILogLineMasker masker, TimeProvider time)
    {
        _process = process;
        _model = model;
        _logger = logger;
        _masker = masker;
        ProcessId = process.Id;
        _stdin = new LineWriter(process.StandardInput.BaseStream, model.Limits.MaxQueuedMessages, time, reason => _closed.TrySetResult(reason));
        _stdoutLoop = Task.Run(ReadStdoutAsync);
        _ = Task.Run(ReadStderrAsync);
    }

    public ChannelReader<LinkMessage> Incoming => _incoming.Reader;

    public Task<string> Closed => _closed.Task;

    public string? NegotiatedVersion { get; set; }

    public DateTimeOffset? BlockedSince => _stdin.BlockedSince;

    public int ProcessId { get; }

    public StdioUpstreamModel Model => _model;

    public Task<ProcessExit> Exited => _exited.Task;

    public static StdioLink Start(StdioUpstreamModel model, ILogger logger, ILogLineMasker masker, TimeProvider time)
    {
        var start = new ProcessStartInfo(model.Command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = model.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in model.Args)
        {
            start.ArgumentList.Add(arg);
        }

        ChildEnvironment.Apply(start.Environment, model.Environment);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new UpstreamAttemptException(UpstreamReasonCodes.OpenFailed, $"could not start '{model.Command}': {ex.Message} (check upstreams.{model.Name}.command and PATH)", ex);
        }

        Log.Spawned(logger, model.Name, process.Id, ChildEnvironment.DescribeCommandLine(model));
        return new StdioLink(process, model, logger, masker, time);
    }

    /// <summary>Queues the message for stdin and returns: the caller waits for its answer, never for the pipe.</summary>
    public ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        EnsureOpen(cancellationToken);
        return Queued(_stdin.TryEnqueue(message, cancellationToken));
    }

    /// <inheritdoc cref="SendAsync(JsonObject, CancellationToken)"/>
    public ValueTask SendAsync(UpstreamRequest request, CancellationToken cancellationToken)
    {
        EnsureOpen(cancellationToken);
        return Queued(_stdin.TryEnqueue(request, cancellationToken));
    }

    private void EnsureOpen(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_closed.Task.IsCompleted)
        {
            throw new UpstreamUnavailableException(_model.Name, _closed.Task.Result);
        }
    }

    private ValueTask Queued(bool queued)
    {
        if (!queued)
        {
            var since = _stdin.BlockedSince is { } blocked ? $" since {blocked:HH:mm:ss} UTC" : "";
            throw new UpstreamUnavailableException(_model.Name,
                $"it is stalled: its stdin has taken no message{since} and {_model.Limits.MaxQueuedMessages} messages wait (upstreams.{_model.Name}.maxQueuedMessages)");
        }

        return ValueTask.CompletedTask;
    }

    private async Task ReadStdoutAsync()
    {
        var lines = new LineReader(_process.StandardOutput.BaseStream, _model.Limits.MaxMessageBytes);
        try
        {
            await lines.ReadAllAsync(OnLineAsync, OnOversizeAsync, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _incoming.Writer.TryComplete();
        var (pid, exitCode) = (_process.Id, _process.ExitCode);
        Log.Exited(_logger, _model.Name, pid, exitCode);
        _exited.TrySetResult(new ProcessExit(pid, exitCode, Volatile.Read(ref _exitReason), Stopwatch.GetElapsedTime(_started)));
        _closed.TrySetResult($"the process exited with code {exitCode}");
    }

    private async ValueTask OnLineAsync(ReadOnlySequence<byte> line)
    {
        if (TryParseObject(line) is { } message)
        {
            await _incoming.Writer.WriteAsync(new LinkMessage(message, null)).ConfigureAwait(false);
        }
        else if (_logger.IsEnabled(LogLevel.Warning) && Masked(Encoding.UTF8.GetString(line)) is { } masked)
        {
            Log.NonProtocolOutput(_logger, _model.Name, masked);
        }
    }

    /// <summary>An answer too large is replaced by an error for its call; anything else too large is dropped. The next line is read as usual.</summary>
    private async ValueTask OnOversizeAsync(TopLevelScanner scan)
    {
        var oversize = OversizeMessage.From(scan);
        Log.Oversize(_logger, _model.Name, oversize.Describe(_model.Name, _model.Limits.MaxMessageBytes));
        if (!oversize.HasMethod && oversize.Id is { } id)
        {
            await _incoming.Writer.WriteAsync(new LinkMessage(oversize.ErrorFor(id, _model.Name, _model.Limits.MaxMessageBytes), null)).ConfigureAwait(false);
        }
    }

    private async Task ReadStderrAsync()
    {
        var lines = new LineReader(_process.StandardError.BaseStream, MaxStderrLineBytes);
        try
        {
            await lines.ReadAllAsync(
                line =>
                {
                    // Masking costs time; a line the log level drops is not masked at all.
                    if (_logger.IsEnabled(LogLevel.Information) && Masked(Encoding.UTF8.GetString(line)) is { } masked)
                    {
                        Log.Stderr(_logger, _model.Name, masked);
                    }

                    return ValueTask.CompletedTask;
                },
                scan =>
                {
                    Log.StderrCut(_logger, _model.Name, scan.Length);
                    return ValueTask.CompletedTask;
                },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }

    private static JsonObject? TryParseObject(ReadOnlySequence<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            return JsonNode.Parse(ref reader) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The line masked and cut for the log, or null (after logging that it was withheld) when masking failed.</summary>
    private string? Masked(string line)
    {
        // Masked whole, then cut: a cut first could leave half an account number its detector no longer
        // recognizes. A line too long to mask within the policy's time budget is withheld.
        if (_masker.Mask(_model.Name, line) is { } masked)
        {
            return Truncate(masked);
        }

        Log.Withheld(_logger, _model.Name, line.Length);
        return null;
    }

    private static string Truncate(string line) => line.Length <= 2000 ? line : string.Concat(line.AsSpan(0, 2000), "…");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync().ConfigureAwait(false);
        }

        try
        {
            // The exit is read by the stdout loop; the process object must outlive it.
            await _stdoutLoop.WaitAsync(_model.ShutdownGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _stdin.Complete();
        _process.Dispose();
    }

    private async Task StopAsync()
    {
        Volatile.Write(ref _exitReason, "stopped");
        _stdin.Complete();
        try
        {
            // Queued messages are not worth a shutdown's wait: close stdin now (a write blocked on a
            // stopped process keeps the pipe open until the process is killed).
            _process.StandardInput.BaseStream.Close();
        }
        catch (IOException)
        {
        }

        if (await ExitedWithinAsync(_model.ShutdownGrace).ConfigureAwait(false))
        {
            return;
        }

        Volatile.Write(ref _exitReason, "terminated");
        _ = Posix.Kill(_process.Id, Posix.SigTerm);
        if (await ExitedWithinAsync(_model.ShutdownGrace).ConfigureAwait(false))
        {
            return;
        }

        Volatile.Write(ref _exitReason, "killed");
        Log.Killed(_logger, _model.Name, _process.Id);
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    private async Task<bool> ExitedWithinAsync(TimeSpan grace)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static partial class Posix
    {
        public const int SigTerm = 15;

        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static partial int Kill(int pid, int signal);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Upstream {Upstream}: spawned pid {Pid}: {CommandLine}")]
        public static partial void Spawned(ILogger logger, string upstream, int pid, string commandLine);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Upstream {Upstream} stderr: {Line}")]
        public static partial void Stderr(ILogger logger, string upstream, string line);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Upstream {Upstream}: pid {Pid} exited with code {ExitCode}")]
        public static partial void Exited(ILogger logger, string upstream, int pid, int exitCode);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Upstream {Upstream} wrote a non-JSON line to stdout (ignored; stdout is reserved for MCP messages): {Line}")]
        public static partial void NonProtocolOutput(ILogger logger, string upstream, string line);

        [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "Upstream {Upstream}: pid {Pid} ignored stdin close and SIGTERM; sent SIGKILL")]
        public static partial void Killed(ILogger logger, string upstream, int pid);

        [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "Upstream {Upstream} wrote a line of {Length} characters outside the protocol that could not be masked; withheld from the log")]
        public static partial void Withheld(ILogger logger, string upstream, int length);

        [LoggerMessage(EventId = 2310, Level = LogLevel.Warning, Message = "Upstream {Upstream} sent {What}; dropped without holding it (a call waiting for it gets an error)")]
        public static partial void Oversize(ILogger logger, string upstream, string what);

        [LoggerMessage(EventId = 2311, Level = LogLevel.Warning, Message = "Upstream {Upstream} wrote a stderr line of {Length} bytes, more than the 64 KiB the gateway reads per line; not logged")]
        public static partial void StderrCut(ILogger logger, string upstream, long length);
    }
}

/// <summary>A link to a process the gateway spawned, whose start and end are evidence (<see cref="RecordedLinkFactory"/>).</summary>
internal interface IProcessLink
{
    int ProcessId { get; }

    StdioUpstreamModel Model { get; }

    /// <summary>Completes once the process has exited and its output has been read.</summary>
    Task<ProcessExit> Exited { get; }
}

/// <param name="Reason">exited (on its own), stopped (stdin closed), terminated (SIGTERM) or killed (SIGKILL).</param>
internal sealed record ProcessExit(int ProcessId, int ExitCode, string Reason, TimeSpan Uptime);

internal sealed class StdioLinkFactory(StdioUpstreamModel model, ILogger logger, ILogLineMasker masker, TimeProvider time) : IUpstreamLinkFactory
{
    public Task<IUpstreamLink> OpenAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IUpstreamLink>(StdioLink.Start(model, logger, masker, time));
}
