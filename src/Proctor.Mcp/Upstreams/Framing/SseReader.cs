using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace Proctor.Mcp.Upstreams.Framing;

/// <summary>One server-sent event: its data (UTF-8 JSON for MCP), or, when it was too large, what its scan found.</summary>
internal sealed record SseEvent(string EventType, byte[]? Data, string? LastEventId, TopLevelScanner? Oversize);

/// <summary>
/// A server-sent events reader (WHATWG HTML, "Server-sent events", §9.2.6 interpretation) with a bound on
/// each event's data. An event whose data would exceed the bound is not held: its data lines are scanned
/// as they pass (<see cref="TopLevelScanner"/>) and it is reported as oversize when it ends; the events
/// after it are read as usual. <see cref="System.Net.ServerSentEvents.SseParser"/> has no such bound.
/// </summary>
internal sealed class SseReader
{
    private static readonly byte[] DataField = "data"u8.ToArray();
    private static readonly byte[] EventField = "event"u8.ToArray();
    private static readonly byte[] IdField = "id"u8.ToArray();

    private readonly long _maxEventBytes;
    private readonly ArrayBufferWriter<byte> _data = new();
    private bool _hasData;
    private string? _eventType;
    private string? _lastEventId;
    private TopLevelScanner? _oversize;
    private bool _skipLineFeed;
    private LongLine _longLine;
    private long _searched;

    private SseReader(long maxEventBytes) => _maxEventBytes = maxEventBytes;

    private enum LongLine { None, Data, Discard }

    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, long maxEventBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var state = new SseReader(maxEventBytes);
        var ready = new List<SseEvent>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var consumed = state.Parse(result.Buffer, ready);
                reader.AdvanceTo(consumed, result.Buffer.End);
                foreach (var item in ready)
                {
                    yield return item;
                }

                ready.Clear();
                if (result.IsCompleted)
                {
                    yield break; // an event not ended by a blank line is discarded (§9.2.6)
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Handles every complete line of <paramref name="buffer"/>; returns where the unfinished line starts.</summary>
    private SequencePosition Parse(ReadOnlySequence<byte> buffer, List<SseEvent> ready)
    {
        while (true)
        {
            if (_skipLineFeed && !buffer.IsEmpty)
            {
                _skipLineFeed = false;
                if (buffer.FirstSpan[0] == '\n')
                {
                    buffer = buffer.Slice(1);
                }
            }

            var end = FindLineEnd(buffer, _searched);
            if (end < 0)
            {
                if (_longLine != LongLine.None || buffer.Length > _maxEventBytes)
                {
                    StartOrContinueLongLine(buffer);
                    _searched = 0;
                    return buffer.End;
                }

                _searched = buffer.Length;
                return buffer.Start;
            }

            _searched = 0;
            var line = buffer.Slice(0, end);
            _skipLineFeed = buffer.Slice(end).FirstSpan[0] == '\r';
            buffer = buffer.Slice(end + 1);
            if (_longLine != LongLine.None || line.Length > _maxEventBytes)
            {
                StartOrContinueLongLine(line);
                _longLine = LongLine.None;
            }
            else
            {
                Line(line, ready);
            }
        }
    }

    /// <summary>A line too long to hold: data is scanned (the event becomes oversize), anything else is skipped.</summary>
    private void StartOrContinueLongLine(ReadOnlySequence<byte> part)
    {
        if (_longLine == LongLine.None)
        {
            var (field, value) = Split(part);
            _longLine = field.SequenceEqual(DataField) ? LongLine.Data : LongLine.Discard;
            part = value;
            if (_longLine == LongLine.Data)
            {
                AppendData(part, separate: _hasData);
                _hasData = true;
                return;
            }
        }

        if (_longLine == LongLine.Data)
        {
            AppendData(part, separate: false);
        }
    }

    private void Line(ReadOnlySequence<byte> line, List<SseEvent> ready)
    {
        if (line.IsEmpty)
        {
            Dispatch(ready);
            return;
        }

        if (line.FirstSpan[0] == ':')
        {
            return; // a comment (keep-alive)
        }

        var (field, value) = Split(line);
        if (field.SequenceEqual(DataField))
        {
            AppendData(value, separate: _hasData);
            _hasData = true;
        }
        else if (field.SequenceEqual(EventField))
        {
            _eventType = Encoding.UTF8.GetString(value);
        }
        else if (field.SequenceEqual(IdField) && value.PositionOf((byte)0) is null)
        {
            _lastEventId = Encoding.UTF8.GetString(value);
        }

        // retry: the gateway does not reconnect a request's stream, so the reconnection time is not kept.
    }

    private void AppendData(ReadOnlySequence<byte> value, bool separate)
    {
        if (_oversize is null && _data.WrittenCount + value.Length + 1 > _maxEventBytes)
        {
            _oversize = new TopLevelScanner();
            _oversize.Feed(_data.WrittenSpan);
            _data.Clear();
        }

        if (_oversize is not null)
        {
            if (separate)
            {
                _oversize.Feed("\n"u8);
            }

            _oversize.Feed(value);
            return;
        }

        if (separate)
        {
            _data.Write("\n"u8);
        }

        foreach (var segment in value)
        {
            _data.Write(segment.Span);
        }
    }

    private void Dispatch(List<SseEvent> ready)
    {
        if (_hasData)
        {
            ready.Add(new SseEvent(_eventType is { Length: > 0 } type ? type : "message", _oversize is null ? _data.WrittenSpan.ToArray() : null, _lastEventId, _oversize));
        }

        _data.Clear();
        _hasData = false;
        _eventType = null;
        _oversize = null;
    }

    private static (byte[] Field, ReadOnlySequence<byte> Value) Split(ReadOnlySequence<byte> line)
    {
        if (line.PositionOf((byte)':') is not { } colon)
        {
            return (line.Length <= 8 ? line.ToArray() : [], ReadOnlySequence<byte>.Empty);
        }

        var field = line.Slice(0, colon);
        var value = line.Slice(line.GetPosition(1, colon));
        if (!value.IsEmpty && value.FirstSpan[0] == ' ')
        {
            value = value.Slice(1);
        }

        return (field.Length <= 8 ? field.ToArray() : [], value);
    }

    /// <summary>The offset of the first CR or LF at or after <paramref name="from"/>, or -1.</summary>
    private static long FindLineEnd(ReadOnlySequence<byte> buffer, long from)
    {
        var offset = from;
        foreach (var segment in buffer.Slice(from))
        {
            var index = segment.Span.IndexOfAny((byte)'\r', (byte)'\n');
            if (index >= 0)
            {
                return offset + index;
            }

            offset += segment.Length;
        }

        return -1;
    }
}
