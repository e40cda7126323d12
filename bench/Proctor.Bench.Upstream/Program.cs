using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Proctor.Bench.Upstream;

// A minimal, fast stdio MCP server for the load benchmark (bench/README.md).
//
// One thread reads stdin in chunks, answers every complete line in the chunk, then writes and
// flushes all the answers at once: requests pipelined by the client are answered in order, in
// batches, with one write per read. Nothing is logged; stdout carries protocol messages only.
using var stdin = Console.OpenStandardInput();
using var stdout = Console.OpenStandardOutput();
var server = new EchoServer();
var input = new byte[64 * 1024];
var output = new ArrayBufferWriter<byte>(64 * 1024);
var filled = 0;

while (true)
{
    if (filled == input.Length)
    {
        Array.Resize(ref input, input.Length * 2);
    }

    var read = stdin.Read(input, filled, input.Length - filled);
    if (read == 0)
    {
        break; // stdin closed: the client is gone, exit.
    }

    filled += read;
    var start = 0;
    while (Array.IndexOf(input, (byte)'\n', start, filled - start) is var newline and >= 0)
    {
        server.HandleLine(input.AsSpan(start, newline - start), output);
        start = newline + 1;
    }

    if (start > 0)
    {
        Buffer.BlockCopy(input, start, input, 0, filled - start);
        filled -= start;
    }

    if (output.WrittenCount > 0)
    {
        stdout.Write(output.WrittenSpan);
        stdout.Flush();
        output.ResetWrittenCount();
    }
}

namespace Proctor.Bench.Upstream
{
    /// <summary>Answers one JSON-RPC line: initialize, ping, tools/list and tools/call echo.</summary>
    internal sealed class EchoServer
    {
        private const string LatestVersion = "2025-11-25";
        private static readonly string[] KnownVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

        private readonly Utf8JsonWriter _writer = new(Stream.Null, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        public void HandleLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
        {
            line = line.Trim(" \t\r"u8);
            if (line.IsEmpty)
            {
                return;
            }

            JsonDocument document;
            try
            {
                var reader = new Utf8JsonReader(line);
                document = JsonDocument.ParseValue(ref reader);
            }
            catch (JsonException)
            {
                Error(output, default, -32700, "Parse error");
                return;
            }

            using (document)
            {
                var message = document.RootElement;
                if (message.ValueKind != JsonValueKind.Object)
                {
                    Error(output, default, -32600, "Invalid Request");
                    return;
                }

                var hasId = message.TryGetProperty("id", out var id);
                if (!message.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
                {
                    // A response (this server sends no requests) or garbage with an id.
                    if (hasId && !message.TryGetProperty("result", out _) && !message.TryGetProperty("error", out _))
                    {
                        Error(output, id, -32600, "Invalid Request");
                    }

                    return;
                }

                if (!hasId)
                {
                    return; // notifications/initialized, notifications/cancelled, ...: nothing to answer.
                }

                message.TryGetProperty("params", out var parameters);
                switch (methodElement.GetString())
                {
                    case "tools/call":
                        CallTool(output, id, parameters);
                        break;
                    case "initialize":
                        Initialize(output, id, parameters);
                        break;
                    case "ping":
                        Result(output, id).WriteEndObject();
                        End(output);
                        break;
                    case "tools/list":
                        ListTools(output, id);
                        break;
                    default:
                        Error(output, id, -32601, "Method not found");
                        break;
                }
            }
        }

        private void Initialize(IBufferWriter<byte> output, JsonElement id, JsonElement parameters)
        {
            var requested = parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("protocolVersion", out var version)
                && version.ValueKind == JsonValueKind.String
                    ? version.GetString()
                    : null;
            var w = Result(output, id);
            w.WriteString("protocolVersion", requested is not null && KnownVersions.Contains(requested) ? requested : LatestVersion);
            w.WriteStartObject("capabilities");
            w.WriteStartObject("tools");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("serverInfo");
            w.WriteString("name", "proctor-bench-upstream");
            w.WriteString("version", "1.0.0");
            w.WriteEndObject();
            w.WriteEndObject();
            End(output);
        }

        private void ListTools(IBufferWriter<byte> output, JsonElement id)
        {
            var w = Result(output, id);
            w.WriteStartArray("tools");
            w.WriteStartObject();
            w.WriteString("name", "echo");
            w.WriteString("description", "Returns its argument text as a text content block.");
            w.WriteStartObject("inputSchema");
            w.WriteString("type", "object");
            w.WriteStartObject("properties");
            w.WriteStartObject("text");
            w.WriteString("type", "string");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("required");
            w.WriteStringValue("text");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            End(output);
        }

        private void CallTool(IBufferWriter<byte> output, JsonElement id, JsonElement parameters)
        {
            if (parameters.ValueKind != JsonValueKind.Object
                || !parameters.TryGetProperty("name", out var name)
                || !name.ValueEquals("echo"u8))
            {
                Error(output, id, -32602, "Unknown tool: only 'echo' exists");
                return;
            }

            var hasText = parameters.TryGetProperty("arguments", out var arguments)
                && arguments.ValueKind == JsonValueKind.Object
                && arguments.TryGetProperty("text", out var text)
                && text.ValueKind == JsonValueKind.String;
            var w = Result(output, id);
            w.WriteStartArray("content");
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WritePropertyName("text");
            if (hasText)
            {
                arguments.GetProperty("text").WriteTo(w); // the argument, exactly as received
            }
            else
            {
                w.WriteStringValue("missing string argument 'text'");
            }

            w.WriteEndObject();
            w.WriteEndArray();
            if (!hasText)
            {
                w.WriteBoolean("isError", true);
            }

            w.WriteEndObject();
            End(output);
        }

        /// <summary>Starts <c>{"jsonrpc":"2.0","id":…,"result":{</c>; the caller writes the result and closes it.</summary>
        private Utf8JsonWriter Result(IBufferWriter<byte> output, JsonElement id)
        {
            _writer.Reset(output);
            _writer.WriteStartObject();
            _writer.WriteString("jsonrpc", "2.0");
            _writer.WritePropertyName("id");
            id.WriteTo(_writer);
            _writer.WriteStartObject("result");
            return _writer;
        }

        private void Error(IBufferWriter<byte> output, JsonElement id, int code, string message)
        {
            _writer.Reset(output);
            _writer.WriteStartObject();
            _writer.WriteString("jsonrpc", "2.0");
            _writer.WritePropertyName("id");
            if (id.ValueKind == JsonValueKind.Undefined)
            {
                _writer.WriteNullValue();
            }
            else
            {
                id.WriteTo(_writer);
            }

            _writer.WriteStartObject("error");
            _writer.WriteNumber("code", code);
            _writer.WriteString("message", message);
            _writer.WriteEndObject();
            End(output);
        }

        /// <summary>Closes the message object and ends the line.</summary>
        private void End(IBufferWriter<byte> output)
        {
            _writer.WriteEndObject();
            _writer.Flush();
            output.Write("\n"u8);
        }
    }
}
