using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Proctor.Masking;
using Proctor.Masking.Policy;

namespace Proctor.Bench.Micro.Masking;

/// <summary>
/// Masking throughput for the node and streaming paths; MB/s = payload bytes / mean time.
/// <see cref="ReaderWriterCopy"/> is the floor of the streaming path: the same reader-to-writer copy with no masking.
/// </summary>
[MemoryDiagnoser]
public class MaskingBenchmarks
{
    private MaskingEngine _engine = null!;
    private byte[] _payload = null!;
    private JsonNode _node = null!;
    private ArrayBufferWriter<byte> _output = null!;

    [Params(1024, 64 * 1024, 4 * 1024 * 1024)]
    public int Bytes { get; set; }

    [Params(false, true)]
    public bool PiiDense { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = MaskingEngine.Create(new MaskingPolicy(), new byte[32]);
        _payload = Payloads.Build(Bytes, PiiDense);
        _node = JsonNode.Parse(_payload)!;
        _output = new ArrayBufferWriter<byte>(_payload.Length * 2);
    }

    [Benchmark]
    public JsonNode? Node() => _engine.MaskJson(_node, MaskingScope.Gateway, MaskingAudience.Storage).Node;

    [Benchmark]
    public int Streaming()
    {
        _output.ResetWrittenCount();
        _engine.MaskUtf8Json(_payload, _output, MaskingScope.Gateway, MaskingAudience.Storage);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int ReaderWriterCopy()
    {
        _output.ResetWrittenCount();
        var reader = new Utf8JsonReader(_payload);
        using var writer = new Utf8JsonWriter(_output, new JsonWriterOptions { SkipValidation = true });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                case JsonTokenType.PropertyName: writer.WritePropertyName(reader.ValueSpan); break;
                case JsonTokenType.String:
                    writer.WriteRawValue(_payload.AsSpan((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2), skipInputValidation: true);
                    break;
                default: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
            }
        }
        writer.Flush();
        return _output.WrittenCount;
    }
}
