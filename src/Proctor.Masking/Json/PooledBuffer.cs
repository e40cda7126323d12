using System.Buffers;

namespace Proctor.Masking.Json;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>, so a 4 MB message does not land on the large-object heap per call.</summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private const int InitialBytes = 16 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
    private int _written;

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _written);

    public async Task ReadAllAsync(Stream input, CancellationToken cancellationToken)
    {
        int read;
        while ((read = await input.ReadAsync(GetMemory(InitialBytes), cancellationToken).ConfigureAwait(false)) > 0)
        {
            Advance(read);
        }
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Grow(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Grow(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    private void Grow(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
