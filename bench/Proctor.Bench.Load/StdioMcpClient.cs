using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Proctor.Bench.Load;

/// <summary>
/// The direct path: the driver itself speaks newline-delimited JSON-RPC to the upstream's stdin/stdout.
/// Concurrent calls are pipelined over the one pipe (a writer loop sends whatever is queued with one
/// flush) and answers are matched to callers by id.
/// </summary>
internal sealed class StdioMcpClient : IMcpClient
{
    private readonly Stream _stdin;
    private readonly Stream _stdout;
    private readonly ToolCall _call;
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private readonly Task _reader;
    private long _nextId;

    private StdioMcpClient(Stream stdin, Stream stdout, ToolCall call)
    {
        _stdin = stdin;
        _stdout = stdout;
        _call = call;
        _writer = Task.Run(WriteLoopAsync);
        _reader = Task.Run(ReadLoopAsync);
    }

    public static async Task<StdioMcpClient> ConnectAsync(Stream stdin, Stream stdout, ToolCall call, CancellationToken cancellationToken)
    {
        var client = new StdioMcpClient(stdin, stdout, call);
        var id = Interlocked.Increment(ref client._nextId);
        var initialize = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":""" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ""","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"proctor-bench-load","version":"1.0.0"}}}""");
        var error = await client.SendAsync(id, initialize, static message =>
            message.TryGetProperty("result", out var result) && result.TryGetProperty("protocolVersion", out _) ? null : $"bad initialize answer {message.GetRawText()}", cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"initialize failed: {error}");
        }

        client._outgoing.Writer.TryWrite("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray());
        return client;
    }

    public Task<string?> CallAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        return SendAsync(id, _call.Request(id), message => _call.Check(message, id), cancellationToken);
    }

    private async Task<string?> SendAsync(long id, byte[] message, Func<JsonElement, string?> check, CancellationToken cancellationToken)
    {
        var pending = new Pending(check);
        _pending[id] = pending;
        if (!_outgoing.Writer.TryWrite(message))
        {
            _pending.TryRemove(id, out _);
            return "the pipe to the upstream is closed";
        }

        try
        {
            return await pending.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _pending.TryRemove(id, out _);
            return "timed out";
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (batch.WrittenCount < 1024 * 1024 && _outgoing.Reader.TryRead(out var message))
                {
                    batch.Write(message);
                    batch.Write("\n"u8);
                }

                await _stdin.WriteAsync(batch.WrittenMemory, _stop.Token).ConfigureAwait(false);
                await _stdin.FlushAsync(_stop.Token).ConfigureAwait(false);
                batch.ResetWrittenCount();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            FailAll("the pipe to the upstream is closed");
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await _stdout.ReadAsync(buffer.AsMemory(filled), _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                var start = 0;
                while (Array.IndexOf(buffer, (byte)'\n', start, filled - start) is var newline and >= 0)
                {
                    Dispatch(buffer.AsSpan(start, newline - start));
                    start = newline + 1;
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        FailAll("the upstream closed its stdout");
    }

    private void Dispatch(ReadOnlySpan<byte> line)
    {
        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            return;
        }

        try
        {
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            var message = document.RootElement;
            if (message.ValueKind == JsonValueKind.Object
                && !message.TryGetProperty("method", out _)
                && message.TryGetProperty("id", out var id)
                && id.TryGetInt64(out var number)
                && _pending.TryRemove(number, out var pending))
            {
                pending.Answer.TrySetResult(pending.Check(message));
            }
        }
        catch (JsonException)
        {
            // Not protocol output; the upstream writes none, so this would show up as timeouts.
        }
    }

    private void FailAll(string reason)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.Answer.TrySetResult(reason);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(_writer, _reader), Task.Delay(2000)).ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class Pending(Func<JsonElement, string?> check)
    {
        public Func<JsonElement, string?> Check { get; } = check;

        public TaskCompletionSource<string?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
