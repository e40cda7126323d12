using System.Buffers;
using BenchmarkDotNet.Attributes;
using Proctor.Masking;
using Proctor.Masking.Policy;

namespace Proctor.Bench.Micro.Masking;

/// <summary>
/// What the gateway's own secrets (<see cref="MaskingPolicy.GatewaySecrets"/>, found like deny-list
/// terms) add to the streaming path on clean JSON, where every string is searched for them.
/// </summary>
[MemoryDiagnoser]
public class GatewaySecretsBenchmarks
{
    private MaskingEngine _engine = null!;
    private byte[] _payload = null!;
    private ArrayBufferWriter<byte> _output = null!;

    [Params(0, 3, 30)]
    public int Secrets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var secrets = Enumerable.Range(0, Secrets).Select(i => $"s3cr3t-{i:d4}-{Guid.NewGuid():N}").ToArray();
        _engine = MaskingEngine.Create(new MaskingPolicy { GatewaySecrets = secrets }, new byte[32]);
        _payload = Payloads.Build(64 * 1024, dense: false);
        _output = new ArrayBufferWriter<byte>(_payload.Length * 2);
    }

    [Benchmark]
    public int Streaming()
    {
        _output.ResetWrittenCount();
        _engine.MaskUtf8Json(_payload, _output, MaskingScope.Gateway, MaskingAudience.Storage);
        return _output.WrittenCount;
    }
}
