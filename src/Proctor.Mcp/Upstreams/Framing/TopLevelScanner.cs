using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Upstreams.Framing;

/// <summary>
/// Reads just enough of a JSON-RPC message too large to parse to say what it was: its top-level
/// <c>id</c> and whether it has a <c>method</c> (a request or notification) or not (a response). Fed in
/// chunks, it keeps a few dozen bytes whatever the message's size, so an oversize answer can still be
/// turned into an error for the call that waits for it. SDKs write <c>id</c> before or after a huge
/// <c>result</c>; both are found.
/// </summary>
internal sealed class TopLevelScanner
{
    private const int MaxKeyBytes = 8;     // "jsonrpc" is the longest key of interest
    private const int MaxIdBytes = 128;    // an id is a number or a short string (JSON-RPC 2.0 §4)

    private readonly byte[] _key = new byte[MaxKeyBytes];
    private readonly byte[] _id = new byte[MaxIdBytes];
    private int _depth;
    private bool _inString;
    private bool _escaped;
    private bool _expectKey;
    private bool _readingKey;
    private int _keyLength;
    private bool _keyOverflow;
    private string? _lastKey;
    private bool _capturingId;
    private int _idLength;
    private bool _idOverflow;

    public long Length { get; private set; }

    public bool HasMethod { get; private set; }

    /// <summary>The raw JSON of the top-level id, once seen.</summary>
    private byte[]? _idJson;

    public void Feed(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            Feed(segment.Span);
        }
    }

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        Length += bytes.Length;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (_inString)
            {
                if (_readingKey)
                {
                    AppendKey(b);
                }
                else if (_capturingId)
                {
                    AppendId(b);
                }
                else if (!_escaped)
                {
                    // Inside a long string value nothing matters until its closing quote: skip to the next quote or backslash.
                    var next = bytes[i..].IndexOfAny((byte)'"', (byte)'\\');
                    if (next < 0)
                    {
                        return;
                    }

                    i += next;
                    b = bytes[i];
                }

                if (_escaped)
                {
                    _escaped = false;
                }
                else if (b == '\\')
                {
                    _escaped = true;
                }
                else if (b == '"')
                {
                    _inString = false;
                    if (_readingKey)
                    {
                        _readingKey = false;
                        _lastKey = _keyOverflow ? null : Encoding.UTF8.GetString(_key, 0, _keyLength - 1); // without the closing quote
                    }
                }

                continue;
            }

            if (_capturingId)
            {
                if (_depth == 1 && (b == ',' || b == '}'))
                {
                    FinishId();
                }
                else if (b is (byte)'{' or (byte)'[')
                {
                    _capturingId = false; // not a valid id
                }
                else if (b != ' ' && b != '\t' && b != '\r' && b != '\n')
                {
                    AppendId(b);
                    if (b == '"')
                    {
                        _inString = true;
                    }

                    continue;
                }
            }

            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    if (_depth == 1 && _expectKey)
                    {
                        _readingKey = true;
                        _keyLength = 0;
                        _keyOverflow = false;
                    }

                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    _expectKey = b == '{' && _depth == 1;
                    break;
                case (byte)'}' or (byte)']':
                    _depth--;
                    break;
                case (byte)',':
                    _expectKey = _depth == 1;
                    break;
                case (byte)':':
                    if (_depth == 1)
                    {
                        _expectKey = false;
                        if (_lastKey == "method")
                        {
                            HasMethod = true;
                        }
                        else if (_lastKey == "id")
                        {
                            _capturingId = true;
                            _idLength = 0;
                            _idOverflow = false;
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>The top-level id if one was seen and is a valid JSON-RPC id; null otherwise.</summary>
    public JsonNode? Id
    {
        get
        {
            if (_capturingId && _depth <= 1)
            {
                FinishId(); // the message ended right after the id (truncated input)
            }

            if (_idJson is null)
            {
                return null;
            }

            try
            {
                var id = JsonNode.Parse(_idJson);
                return id is JsonValue value && (value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number) ? id : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    private void AppendKey(byte b)
    {
        if (_keyLength < MaxKeyBytes)
        {
            _key[_keyLength++] = b;
        }
        else
        {
            _keyOverflow = true;
        }
    }

    private void AppendId(byte b)
    {
        if (_idLength < MaxIdBytes)
        {
            _id[_idLength++] = b;
        }
        else
        {
            _idOverflow = true;
        }
    }

    private void FinishId()
    {
        _capturingId = false;
        if (!_idOverflow && _idLength > 0)
        {
            _idJson = _id.AsSpan(0, _idLength).ToArray();
        }
    }
}
