using System.Buffers.Binary;
using System.Text;

namespace Receiver.Core.Plist;

/// <summary>
/// Decodes a complete <c>bplist00</c> buffer. Every offset, length and reference is range-checked before use;
/// each object is decoded once (shared references reuse the decoded value), containers on the current path are
/// tracked to reject cycles, and the expanded tree size is capped by <see cref="PlistLimits.MaxObjects"/>.
/// </summary>
internal ref struct BinaryPlistReader
{
    private const int HeaderLength = 8;
    private const int TrailerLength = 32;

    private readonly ReadOnlySpan<byte> data;
    private readonly PlistLimits limits;
    private readonly int[] offsets;
    private readonly int refSize;
    private readonly int objectEnd;
    private readonly PlistValue?[] decoded;
    private readonly int[] expandedCounts;
    private readonly bool[] onPath;
    private readonly int topObject;
    private int depth;

    private BinaryPlistReader(ReadOnlySpan<byte> data, PlistLimits limits)
    {
        this.data = data;
        this.limits = limits;
        if (data.Length > limits.MaxBytes)
        {
            throw Fail($"binary plist of {data.Length} bytes exceeds the {limits.MaxBytes}-byte limit");
        }

        if (!BinaryPlist.IsBinaryPlist(data))
        {
            throw Fail("missing 'bplist00' header");
        }

        if (data.Length < HeaderLength + TrailerLength + 2)
        {
            throw Fail($"file of {data.Length} bytes is too short for a header, an object, an offset table and a trailer");
        }

        objectEnd = data.Length - TrailerLength;
        var trailer = data[objectEnd..];
        int offsetSize = trailer[6];
        refSize = trailer[7];
        ulong numObjects = BinaryPrimitives.ReadUInt64BigEndian(trailer[8..]);
        ulong top = BinaryPrimitives.ReadUInt64BigEndian(trailer[16..]);
        ulong tableOffset = BinaryPrimitives.ReadUInt64BigEndian(trailer[24..]);

        if (offsetSize is < 1 or > 8)
        {
            throw Fail($"trailer offset size {offsetSize} is not 1..8");
        }

        if (refSize is < 1 or > 8)
        {
            throw Fail($"trailer object reference size {refSize} is not 1..8");
        }

        if (numObjects == 0)
        {
            throw Fail("trailer declares zero objects");
        }

        if (numObjects > (ulong)limits.MaxObjects)
        {
            throw Fail($"trailer declares {numObjects} objects, above the limit of {limits.MaxObjects}");
        }

        if (top >= numObjects)
        {
            throw Fail($"top object {top} is not below the object count {numObjects}");
        }

        int count = (int)numObjects;
        if (tableOffset < HeaderLength || tableOffset > (ulong)objectEnd
            || (ulong)objectEnd - tableOffset < (ulong)count * (ulong)offsetSize)
        {
            throw Fail($"offset table at {tableOffset} ({count} x {offsetSize} bytes) does not lie between the header and the trailer");
        }

        offsets = new int[count];
        var table = data.Slice((int)tableOffset, count * offsetSize);
        for (int i = 0; i < count; i++)
        {
            ulong offset = ReadUnsigned(table.Slice(i * offsetSize, offsetSize));
            if (offset < HeaderLength || offset >= (ulong)objectEnd)
            {
                throw Fail($"object {i} offset {offset} lies outside the object area {HeaderLength}..{objectEnd - 1}");
            }

            offsets[i] = (int)offset;
        }

        topObject = (int)top;
        decoded = new PlistValue?[count];
        expandedCounts = new int[count];
        onPath = new bool[count];
        depth = 0;
    }

    /// <summary>Decodes <paramref name="data"/>; throws <see cref="PlistFormatException"/> on any defect.</summary>
    public static PlistValue Read(ReadOnlySpan<byte> data, PlistLimits limits)
    {
        var reader = new BinaryPlistReader(data, limits);
        return reader.ReadObject(reader.topObject);
    }

    private static PlistFormatException Fail(string reason) => new("Invalid binary plist: " + reason + ".");

    private static ulong ReadUnsigned(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private PlistValue ReadObject(int index)
    {
        if (decoded[index] is { } done)
        {
            return done;
        }

        if (onPath[index])
        {
            throw Fail($"object {index} contains itself (reference cycle)");
        }

        int pos = offsets[index];
        byte marker = data[pos];
        int low = marker & 0x0F;
        PlistValue value;
        int expanded = 1;
        switch (marker >> 4)
        {
            case 0x0:
                value = low switch
                {
                    0x0 => PlistNull.Instance,
                    0x8 => PlistBoolean.False,
                    0x9 => PlistBoolean.True,
                    _ => throw Fail($"unknown marker 0x{marker:X2} at offset {pos}"),
                };
                break;
            case 0x1:
                value = ReadInteger(pos, low);
                break;
            case 0x2:
                value = low switch
                {
                    2 => new PlistReal(BinaryPrimitives.ReadSingleBigEndian(Bytes(pos + 1, 4)), isSinglePrecision: true),
                    3 => new PlistReal(BinaryPrimitives.ReadDoubleBigEndian(Bytes(pos + 1, 8))),
                    _ => throw Fail($"real at offset {pos} has unsupported size 2^{low}"),
                };
                break;
            case 0x3:
                value = low == 3
                    ? PlistDate.FromSecondsSinceReference(BinaryPrimitives.ReadDoubleBigEndian(Bytes(pos + 1, 8)))
                    : throw Fail($"date at offset {pos} has unsupported marker 0x{marker:X2}");
                break;
            case 0x4:
            {
                int length = ReadCount(ref pos, low, 1);
                value = PlistData.TakeOwnership(Bytes(pos, length).ToArray());
                break;
            }

            case 0x5:
            {
                int length = ReadCount(ref pos, low, 1);
                value = new PlistString(Encoding.Latin1.GetString(Bytes(pos, length)));
                break;
            }

            case 0x6:
            {
                int length = ReadCount(ref pos, low, 2);
                value = new PlistString(Encoding.BigEndianUnicode.GetString(Bytes(pos, length * 2)));
                break;
            }

            case 0x8:
                value = ReadUid(pos, low + 1);
                break;
            case 0xA:
            case 0xC:
            case 0xD:
                value = ReadContainer(index, pos, marker, out expanded);
                break;
            default:
                throw Fail($"unknown marker 0x{marker:X2} at offset {pos}");
        }

        decoded[index] = value;
        expandedCounts[index] = expanded;
        return value;
    }

    private PlistValue ReadContainer(int index, int pos, byte marker, out int expanded)
    {
        int kind = marker >> 4;
        int count = ReadCount(ref pos, marker & 0x0F, kind == 0xD ? 2 * refSize : refSize);
        if (count >= limits.MaxObjects)
        {
            throw Fail($"container at offset {offsets[index]} holds {count} entries, above the object limit of {limits.MaxObjects}");
        }

        if (++depth > limits.MaxDepth)
        {
            throw Fail($"containers nest deeper than the limit of {limits.MaxDepth}");
        }

        onPath[index] = true;
        long total = 1;
        PlistValue result;
        if (kind == 0xD)
        {
            var dict = new PlistDict();
            int valuesPos = pos + (count * refSize);
            for (int i = 0; i < count; i++)
            {
                int keyRef = ReadRef(pos + (i * refSize));
                int valueRef = ReadRef(valuesPos + (i * refSize));
                var keyValue = ReadObject(keyRef);
                if (keyValue is not PlistString key)
                {
                    throw Fail($"dict at offset {offsets[index]} has a key that is {PlistTypeNames.WithArticle(PlistTypeNames.Of(keyValue.Kind))}, not a string");
                }

                var value = ReadObject(valueRef);
                total += 1 + expandedCounts[valueRef];
                CheckExpanded(total);
                dict.SetDecoded(key.Value, value);
            }

            result = dict.Freeze();
        }
        else
        {
            var items = new List<PlistValue>(count);
            for (int i = 0; i < count; i++)
            {
                int childRef = ReadRef(pos + (i * refSize));
                items.Add(ReadObject(childRef));
                total += expandedCounts[childRef];
                CheckExpanded(total);
            }

            result = kind == 0xA ? PlistArray.TakeOwnership(items) : PlistSet.TakeOwnership(items);
        }

        onPath[index] = false;
        depth--;
        expanded = (int)total;
        return result;
    }

    private readonly void CheckExpanded(long total)
    {
        if (total > limits.MaxObjects)
        {
            throw Fail($"the decoded tree would hold more than {limits.MaxObjects} values (shared references expand)");
        }
    }

    private readonly int ReadRef(int pos)
    {
        ulong target = ReadUnsigned(Bytes(pos, refSize));
        if (target >= (ulong)offsets.Length)
        {
            throw Fail($"object reference {target} at offset {pos} is not below the object count {offsets.Length}");
        }

        return (int)target;
    }

    private readonly PlistInteger ReadInteger(int pos, int sizeLog2)
    {
        var bytes = sizeLog2 switch
        {
            0 or 1 or 2 or 3 or 4 => Bytes(pos + 1, 1 << sizeLog2),
            _ => throw Fail($"integer at offset {pos} has unsupported size 2^{sizeLog2}"),
        };

        switch (bytes.Length)
        {
            case 8:
                return new PlistInteger(BinaryPrimitives.ReadInt64BigEndian(bytes));
            case 16:
                var wide = BinaryPrimitives.ReadInt128BigEndian(bytes);
                if (wide < PlistInteger.MinValue || wide > PlistInteger.MaxValue)
                {
                    throw Fail($"16-byte integer at offset {pos} is outside -2^63 .. 2^64-1");
                }

                return new PlistInteger(wide);
            default:
                return new PlistInteger(ReadUnsigned(bytes));
        }
    }

    private readonly PlistUid ReadUid(int pos, int length)
    {
        var bytes = Bytes(pos + 1, length);
        if (length > 8 && bytes[..(length - 8)].ContainsAnyExcept((byte)0))
        {
            throw Fail($"UID at offset {pos} does not fit 64 bits");
        }

        return new PlistUid(ReadUnsigned(length > 8 ? bytes[(length - 8)..] : bytes));
    }

    /// <summary>Reads the object count in the marker nibble or the integer after it; advances past the marker and count.</summary>
    private readonly int ReadCount(ref int pos, int low, int unitSize)
    {
        int start = pos;
        long count;
        if (low != 0x0F)
        {
            count = low;
            pos += 1;
        }
        else
        {
            byte intMarker = Bytes(pos + 1, 1)[0];
            if ((intMarker >> 4) != 0x1)
            {
                throw Fail($"extended count at offset {pos + 1} is marker 0x{intMarker:X2}, not an integer");
            }

            var size = intMarker & 0x0F;
            if (size > 3)
            {
                throw Fail($"extended count at offset {pos + 1} has unsupported size 2^{size}");
            }

            var bytes = Bytes(pos + 2, 1 << size);
            count = size == 3 ? BinaryPrimitives.ReadInt64BigEndian(bytes) : (long)ReadUnsigned(bytes);
            if (count < 0)
            {
                throw Fail($"extended count at offset {pos + 1} is negative");
            }

            pos += 2 + (1 << size);
        }

        if (count > (objectEnd - pos) / unitSize)
        {
            throw Fail($"object at offset {start} claims {count} entries of {unitSize} bytes but only {objectEnd - pos} bytes remain");
        }

        return (int)count;
    }

    private readonly ReadOnlySpan<byte> Bytes(int pos, int length)
    {
        if (pos < HeaderLength || length < 0 || pos > objectEnd || length > objectEnd - pos)
        {
            throw Fail($"{length} bytes at offset {pos} run past the object area ending at {objectEnd}");
        }

        return data.Slice(pos, length);
    }
}
