namespace Receiver.Core.Media;

/// <summary>Writes fixed-length and Exp-Golomb coded fields into an RBSP, most significant bit first.</summary>
internal sealed class RbspBitWriter
{
    private readonly List<byte> _bytes = [];
    private int _current;
    private int _bitCount;

    public int BitPosition => (_bytes.Count * 8) + _bitCount;

    public void WriteBit(int bit)
    {
        _current = (_current << 1) | (bit & 1);
        _bitCount++;
        if (_bitCount == 8)
        {
            _bytes.Add((byte)_current);
            _current = 0;
            _bitCount = 0;
        }
    }

    public void WriteFlag(bool value) => WriteBit(value ? 1 : 0);

    public void WriteBits(uint value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            WriteBit((int)((value >> i) & 1));
        }
    }

    public void WriteUe(uint value)
    {
        var codeNum = value + 1UL;
        var length = 64 - ulong.LeadingZeroCount(codeNum);
        for (var i = 1UL; i < length; i++)
        {
            WriteBit(0);
        }

        for (var i = (int)length - 1; i >= 0; i--)
        {
            WriteBit((int)((codeNum >> i) & 1));
        }
    }

    public void WriteSe(int value)
    {
        var code = value > 0 ? ((uint)value * 2) - 1 : (uint)(-(long)value * 2);
        WriteUe(code);
    }

    /// <summary>Copies the bits [from, to) of another RBSP.</summary>
    public void CopyBits(byte[] source, int from, int to)
    {
        for (var p = from; p < to; p++)
        {
            WriteBit((source[p >> 3] >> (7 - (p & 7))) & 1);
        }
    }

    /// <summary>Appends rbsp_trailing_bits (a one, then zeros up to the byte boundary) and returns the RBSP.</summary>
    public byte[] ToArrayWithTrailingBits()
    {
        WriteBit(1);
        while (_bitCount != 0)
        {
            WriteBit(0);
        }

        return [.. _bytes];
    }
}
