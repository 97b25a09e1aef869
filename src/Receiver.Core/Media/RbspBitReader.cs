namespace Receiver.Core.Media;

/// <summary>
/// Reads fixed-length and Exp-Golomb coded fields from an unescaped RBSP, most significant bit first.
/// Reading past the end throws <see cref="MediaFormatException"/>.
/// </summary>
internal sealed class RbspBitReader
{
    private readonly byte[] _data;
    private int _position;

    public RbspBitReader(byte[] rbsp, int startBit = 0)
    {
        _data = rbsp;
        _position = startBit;
    }

    /// <summary>Current position in bits from the start of the RBSP.</summary>
    public int BitPosition => _position;

    public int BitsRemaining => (_data.Length * 8) - _position;

    public bool ReadFlag() => ReadBit() != 0;

    public int ReadBit()
    {
        if (_position >= _data.Length * 8)
        {
            throw new MediaFormatException("Bitstream ends inside a syntax element.");
        }

        var bit = (_data[_position >> 3] >> (7 - (_position & 7))) & 1;
        _position++;
        return bit;
    }

    /// <summary>Reads an unsigned fixed-length field of up to 32 bits.</summary>
    public uint ReadBits(int count)
    {
        if ((uint)count > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        if (count > BitsRemaining)
        {
            throw new MediaFormatException("Bitstream ends inside a syntax element.");
        }

        uint value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | (uint)ReadBit();
        }

        return value;
    }

    public void Skip(int count)
    {
        if (count < 0 || count > BitsRemaining)
        {
            throw new MediaFormatException("Bitstream ends inside a syntax element.");
        }

        _position += count;
    }

    /// <summary>Reads ue(v), limited to values that fit in 32 bits.</summary>
    public uint ReadUe()
    {
        var leadingZeros = 0;
        while (ReadBit() == 0)
        {
            leadingZeros++;
            if (leadingZeros > 31)
            {
                throw new MediaFormatException("Exp-Golomb code longer than 32 bits.");
            }
        }

        if (leadingZeros == 0)
        {
            return 0;
        }

        var suffix = ReadBits(leadingZeros);
        return (uint)(((1UL << leadingZeros) - 1) + suffix);
    }

    /// <summary>Reads ue(v) and checks it against an inclusive maximum.</summary>
    public int ReadUe(uint max, string field)
    {
        var value = ReadUe();
        if (value > max)
        {
            throw new MediaFormatException($"{field} = {value} exceeds {max}.");
        }

        return (int)value;
    }

    /// <summary>Reads se(v).</summary>
    public int ReadSe()
    {
        var code = ReadUe();
        var magnitude = (long)((code + 1UL) >> 1);
        return (int)((code & 1) == 1 ? magnitude : -magnitude);
    }
}
