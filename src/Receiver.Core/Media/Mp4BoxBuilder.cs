using System.Buffers.Binary;

namespace Receiver.Core.Media;

/// <summary>Builds nested ISO BMFF boxes into a growable buffer; each box's size is patched when it ends.</summary>
internal sealed class Mp4BoxBuilder
{
    private byte[] _buffer = new byte[1024];
    private int _length;

    public int Length => _length;

    /// <summary>Starts a box and returns the offset to pass to <see cref="End"/>.</summary>
    public int Begin(string type)
    {
        var start = _length;
        UInt32(0);
        FourCc(type);
        return start;
    }

    /// <summary>Starts a full box (version and flags follow the type).</summary>
    public int BeginFull(string type, byte version, uint flags)
    {
        var start = Begin(type);
        UInt32(((uint)version << 24) | (flags & 0xFFFFFF));
        return start;
    }

    public void End(int start) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(start), (uint)(_length - start));

    public void FourCc(string type)
    {
        var span = Reserve(4);
        for (var i = 0; i < 4; i++)
        {
            span[i] = (byte)type[i];
        }
    }

    public void UInt8(byte value) => Reserve(1)[0] = value;

    public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void UInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);

    public void Zeros(int count) => Reserve(count).Clear();

    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>The unity transformation matrix of mvhd and tkhd.</summary>
    public void UnityMatrix()
    {
        UInt32(0x00010000);
        UInt32(0);
        UInt32(0);
        UInt32(0);
        UInt32(0x00010000);
        UInt32(0);
        UInt32(0);
        UInt32(0);
        UInt32(0x40000000);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
