using System.Buffers;
using System.IO.Pipelines;

namespace Proctor.Mcp.Upstreams.Framing;

/// <summary>
/// Newline-delimited input (MCP stdio: one JSON-RPC message per line) read with a bound on each line.
/// A line up to the bound is handed over whole; a longer one is never held: it is read through to its
/// newline, keeping only what <see cref="TopLevelScanner"/> needs, and reported as oversize. The newline
/// still frames the next message, so the stream survives an oversize line.
/// </summary>
internal sealed class LineReader(Stream stream, long maxLineBytes)
{
    /// <summary>Reads to the end of the stream. <paramref name="onLine"/> gets each line without its newline (valid only during the call).</summary>
    public async Task ReadAllAsync(Func<ReadOnlySequence<byte>, ValueTask> onLine, Func<TopLevelScanner, ValueTask> onOversize, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        TopLevelScanner? oversize = null;
        long searched = 0; // bytes of the current partial line already known to hold no newline
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var newline = buffer.Slice(searched).PositionOf((byte)'\n');
                    if (newline is null)
                    {
                        if (oversize is not null)
                        {
                            oversize.Feed(buffer);
                            buffer = buffer.Slice(buffer.End);
                        }
                        else if (buffer.Length > maxLineBytes)
                        {
                            oversize = new TopLevelScanner();
                            oversize.Feed(buffer);
                            buffer = buffer.Slice(buffer.End);
                        }

                        searched = buffer.Length;
                        break;
                    }

                    var line = buffer.Slice(0, newline.Value);
                    buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
                    searched = 0;
                    if (oversize is not null || line.Length > maxLineBytes)
                    {
                        oversize ??= new TopLevelScanner();
                        oversize.Feed(line);
                        await onOversize(oversize).ConfigureAwait(false);
                        oversize = null;
                    }
                    else if (!line.IsEmpty)
                    {
                        await onLine(line).ConfigureAwait(false);
                    }
                }

                if (result.IsCompleted)
                {
                    // The stream ended without a final newline: what is left is the last line.
                    if (oversize is not null)
                    {
                        await onOversize(oversize).ConfigureAwait(false);
                    }
                    else if (!buffer.IsEmpty)
                    {
                        await onLine(buffer).ConfigureAwait(false);
                    }

                    reader.AdvanceTo(buffer.End);
                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
