using System.Buffers.Binary;

namespace Receiver.Core.Media;

/// <summary>
/// Walks the length-prefixed NAL units of one AVCC/HVCC access unit. Every length must be non-zero and fit in
/// the remaining data, the lengths must chain exactly to the end, and the forbidden_zero_bit of every NAL
/// header must be 0; a wrongly decrypted frame fails these checks. A malformed access unit ends the walk with
/// <see cref="Error"/> set; nothing is thrown.
/// </summary>
public ref struct NalUnitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _lengthSize;
    private int _position;
    private int _count;
    private NalValidation _result;

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
        _count = 0;
        _result = default;
    }

    /// <summary>Offset of the next length prefix.</summary>
    public readonly int Position => _position;

    /// <summary>Why the walk stopped early, or <see cref="NalValidationError.None"/>.</summary>
    public readonly NalValidationError Error => _result.Error;

    /// <summary>The outcome so far: valid with the units read, or the error that ended the walk.</summary>
    public readonly NalValidation Result => _result.Error == NalValidationError.None ? new NalValidation(NalValidationError.None, _position, _count) : _result;

    /// <summary>
    /// Returns the next NAL unit (without its length prefix); false at the exact end of the data or at a malformed
    /// length or header (then <see cref="Error"/> says which).
    /// </summary>
    public bool TryReadNext(out ReadOnlySpan<byte> nalUnit)
    {
        nalUnit = default;
        if (_result.Error != NalValidationError.None)
        {
            return false;
        }

        var remaining = _data.Length - _position;
        if (remaining == 0)
        {
            return false;
        }

        if (remaining < _lengthSize)
        {
            return Fail(NalValidationError.TruncatedLength, remaining);
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
            return Fail(NalValidationError.ZeroLength, 0);
        }

        if (length > remaining)
        {
            return Fail(NalValidationError.LengthOverrun, length, remaining);
        }

        var unit = _data.Slice(_position + _lengthSize, (int)length);
        if ((unit[0] & 0x80) != 0)
        {
            return Fail(NalValidationError.ForbiddenBitSet, 0);
        }

        nalUnit = unit;
        _position += _lengthSize + (int)length;
        _count++;
        return true;
    }

    /// <summary>Checks a whole access unit: valid with its number of NAL units, or where and why it is malformed.</summary>
    public static NalValidation Validate(ReadOnlySpan<byte> data, int lengthSize = 4)
    {
        var reader = new NalUnitReader(data, lengthSize);
        while (reader.TryReadNext(out _))
        {
        }

        return reader.Result;
    }

    /// <summary>
    /// Overwrites every 4-byte length of a valid access unit with the Annex-B start code <c>00 00 00 01</c> and
    /// returns the number of NAL units; throws <see cref="MediaFormatException"/> when the access unit is malformed.
    /// </summary>
    public static int ConvertToAnnexB(Span<byte> data)
    {
        var validation = Validate(data, 4);
        if (!validation.IsValid)
        {
            throw new MediaFormatException(validation.Describe());
        }

        var position = 0;
        while (position < data.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            BinaryPrimitives.WriteUInt32BigEndian(data[position..], 1);
            position += 4 + length;
        }

        return validation.Count;
    }

    /// <summary>True when any NAL unit of a valid access unit is a random access slice (see <see cref="NalUnit.IsKeyframe"/>).</summary>
    public static bool ContainsKeyframe(ReadOnlySpan<byte> data, VideoCodec codec, int lengthSize = 4)
    {
        var reader = new NalUnitReader(data, lengthSize);
        while (reader.TryReadNext(out var nal))
        {
            if (NalUnit.IsKeyframe(nal, codec))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The H.264 nal_unit_type (low 5 bits of the first byte).</summary>
    public static int H264NalType(ReadOnlySpan<byte> nalUnit) => nalUnit[0] & 0x1F;

    /// <summary>The H.265 nal_unit_type (bits 1..6 of the first byte).</summary>
    public static int HevcNalType(ReadOnlySpan<byte> nalUnit) => (nalUnit[0] >> 1) & 0x3F;

    private bool Fail(NalValidationError error, long detail, int remaining = 0)
    {
        _result = new NalValidation(error, _position, _count, detail, remaining);
        return false;
    }
}
