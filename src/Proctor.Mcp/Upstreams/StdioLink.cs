using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// A spawned MCP server speaking newline-delimited JSON on stdin/stdout. stderr is free-form logging
/// (MCP stdio transport) and goes to the gateway's log, masked first: a server may print the records
/// it handles. Shutdown follows the spec's order:
/// close stdin, then SIGTERM, then SIGKILL, each after <c>shutdownGrace</c>. Each spawn and exit is
/// recorded in the ledger, with the exit's reason (on its own, or which step of the shutdown ended it).
/// </summary>
internal sealed partial class StdioLink : IUpstreamLink
{
    private readonly Process _process;
    private readonly StdioUpstreamModel _model;
    private readonly ILogger _logger;
    private readonly ILogLineMasker _masker;
    private readonly Channel<LinkMessage> _incoming = Channel.CreateBounded<LinkMessage>(new BoundedChannelOptions(1024) { SingleWriter = true });
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stream _stdin;
    private readonly IUpstreamRecorder? _recorder;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Task _stdoutLoop;
    private string _exitReason = "exited";

    private StdioLink(Process process, StdioUpstreamModel model, ILogger logger, ILogLineMasker masker, IUpstreamRecorder? recorder)
    {
        _process = process;
        _model = model;
        _logger = logger;
        _masker = masker;
        _recorder = recorder;
        _stdin = process.StandardInput.BaseStream;
        _stdoutLoop = Task.Run(ReadStdoutAsync);
        _ = Task.Run(ReadStderrAsync);
    }

    public ChannelReader<LinkMessage> Incoming => _incoming.Reader;

    public Task<string> Closed => _closed.Task;

    public string? NegotiatedVersion { get; set; }

    public static async Task<StdioLink> StartAsync(StdioUpstreamModel model, ILogger logger, ILogLineMasker masker, IUpstreamRecorder? recorder)
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
            throw new InvalidOperationException($"could not start '{model.Command}': {ex.Message} (check upstreams.{model.Name}.command and PATH)", ex);
        }

        Log.Spawned(logger, model.Name, process.Id, ChildEnvironment.DescribeCommandLine(model));
        if (recorder is not null)
        {
            // Before the link exists: its stdout loop is what sees and records the exit, which must not precede the spawn.
            await RecordAsync(logger, model.Name, process.Id, () => recorder.SpawnedAsync(new UpstreamSpawn(model.Name, process.Id, model.Command, model.Args, [.. model.Environment.Keys], model.WorkingDirectory), CancellationToken.None)).ConfigureAwait(false);
        }

        return new StdioLink(process, model, logger, masker, recorder);
    }

    public async ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        // One buffer, one write: the message and its newline reach the upstream in a single syscall
        // (docs/PERFORMANCE.md, "What the cost is made of").
        var line = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(line))
        {
            message.WriteTo(writer);
        }

        line.Write("\n"u8);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stdin.WriteAsync(line.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new UpstreamUnavailableException(_model.Name, $"its stdin is closed ({ex.Message})");
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadStdoutAsync()
    {
        var stdout = _process.StandardOutput;
        try
        {
            while (await stdout.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (TryParseObject(line) is { } message)
                {
                    await _incoming.Writer.WriteAsync(new LinkMessage(message, null)).ConfigureAwait(false);
                }
                else if (_logger.IsEnabled(LogLevel.Warning) && Masked(line) is { } masked)
                {
                    Log.NonProtocolOutput(_logger, _model.Name, masked);
                }
            }
        }
        catch (IOException)
        {
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _incoming.Writer.TryComplete();
        var (pid, exitCode) = (_process.Id, _process.ExitCode);
        Log.Exited(_logger, _model.Name, pid, exitCode);
        if (_recorder is not null)
        {
            await RecordAsync(_logger, _model.Name, pid, () => _recorder.ExitedAsync(new UpstreamExit(_model.Name, pid, exitCode, Volatile.Read(ref _exitReason), Stopwatch.GetElapsedTime(_started)), CancellationToken.None)).ConfigureAwait(false);
        }

        _closed.TrySetResult($"the process exited with code {exitCode}");
    }

    /// <summary>A lifecycle record the ledger cannot take is logged: the process runs or has ended either way.</summary>
    private static async Task RecordAsync(ILogger logger, string upstream, int pid, Func<ValueTask> record)
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

    private async Task ReadStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                // Masking costs time; a line the log level drops is not masked at all.
                if (_logger.IsEnabled(LogLevel.Information) && Masked(line) is { } masked)
                {
                    Log.Stderr(_logger, _model.Name, masked);
                }
            }
        }
        catch (IOException)
        {
        }
    }

    private static JsonObject? TryParseObject(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
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
            // The exit is read and recorded by the stdout loop; the process object must outlive it.
            await _stdoutLoop.WaitAsync(_model.ShutdownGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
        _writeLock.Dispose();
    }

    private async Task StopAsync()
    {
        Volatile.Write(ref _exitReason, "stopped");
        try
        {
            _stdin.Close();
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

        [LoggerMessage(EventId = 1207, Level = LogLevel.Error, Message = "Upstream {Upstream}: the spawn or exit of pid {Pid} could not be recorded in the audit ledger: {Reason}")]
        public static partial void NotRecorded(ILogger logger, string upstream, int pid, string reason);
    }
}

internal sealed class StdioLinkFactory(StdioUpstreamModel model, ILogger logger, ILogLineMasker masker, IUpstreamRecorder? recorder = null) : IUpstreamLinkFactory
{
    public async Task<IUpstreamLink> OpenAsync(CancellationToken cancellationToken) =>
        await StdioLink.StartAsync(model, logger, masker, recorder).ConfigureAwait(false);
}
