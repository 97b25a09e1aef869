using System.Buffers.Binary;

namespace Receiver.Core.Mirroring;

/// <summary>
/// Walks the length-prefixed NAL units of one AVCC/HVCC access unit. Every length must be non-zero and fit in
/// the remaining data, the lengths must chain exactly to the end, and the forbidden_zero_bit of every NAL
/// header must be 0; otherwise <see cref="MirrorProtocolException"/> is thrown (a wrongly decrypted frame fails
/// these checks).
/// </summary>
public ref struct NalUnitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _lengthSize;
    private int _position;

    /// <summary>Creates a reader over <paramref name="data"/> with 1, 2 or 4-byte big-endian lengths.</summary>
    public NalUnitReader(ReadOnlySpan<byte> data, int lengthSize = 4)
    {
        if (lengthSize is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(lengthSize), lengthSize, "NAL length size must be 1, 2 or 4.");
        }

        _data = data;
        _lengthSize = lengthSize;
        _position = 0;
    }

    /// <summary>Offset of the next length prefix.</summary>
    public readonly int Position => _position;

    /// <summary>
    /// Returns the next NAL unit (without its length prefix), or false at the exact end of the data.
    /// </summary>
    public bool TryReadNext(out ReadOnlySpan<byte> nalUnit)
    {
        var remaining = _data.Length - _position;
        if (remaining == 0)
        {
            nalUnit = default;
            return false;
        }

        if (remaining < _lengthSize)
        {
            throw Malformed($"{remaining} trailing bytes at offset {_position} are too short for a NAL length.");
        }

        var prefix = _data.Slice(_position, _lengthSize);
        long length = _lengthSize switch
        {
            1 => prefix[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(prefix),
            _ => BinaryPrimitives.ReadUInt32BigEndian(prefix),
        };
        remaining -= _lengthSize;
        if (length == 0)
        {
            throw Malformed($"Zero-length NAL unit at offset {_position}.");
        }

        if (length > remaining)
        {
            throw Malformed($"NAL unit at offset {_position} claims {length} bytes, only {remaining} remain.");
        }

        nalUnit = _data.Slice(_position + _lengthSize, (int)length);
        if ((nalUnit[0] & 0x80) != 0)
        {
            throw Malformed($"NAL unit at offset {_position} has the forbidden_zero_bit set.");
        }

        _position += _lengthSize + (int)length;
        return true;
    }

    /// <summary>Checks a whole access unit and returns its number of NAL units.</summary>
    public static int Validate(ReadOnlySpan<byte> data, int lengthSize = 4)
    {
        var reader = new NalUnitReader(data, lengthSize);
        var count = 0;
        while (reader.TryReadNext(out _))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Validates an access unit with 4-byte lengths and overwrites every length with the Annex-B start code
    /// <c>00 00 00 01</c>. Returns the number of NAL units.
    /// </summary>
    public static int ConvertToAnnexB(Span<byte> data)
    {
        var count = Validate(data, 4);
        var position = 0;
        while (position < data.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            BinaryPrimitives.WriteUInt32BigEndian(data[position..], 1);
            position += 4 + length;
        }

        return count;
    }

    /// <summary>The H.264 nal_unit_type (low 5 bits of the first byte).</summary>
    public static int H264NalType(ReadOnlySpan<byte> nalUnit) => nalUnit[0] & 0x1F;

    /// <summary>The H.265 nal_unit_type (bits 1..6 of the first byte).</summary>
    public static int HevcNalType(ReadOnlySpan<byte> nalUnit) => (nalUnit[0] >> 1) & 0x3F;

    private static MirrorProtocolException Malformed(string message) => new(MirrorProtocolError.MalformedNalUnits, message);
}
