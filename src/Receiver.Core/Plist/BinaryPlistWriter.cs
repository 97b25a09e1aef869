using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Receiver.Core.Plist;

/// <summary>
/// Encodes a value tree as <c>bplist00</c>. Objects are numbered breadth-first (the root is object 0, a container's
/// children get consecutive numbers), every reference is written once per occurrence, and integer, reference and
/// offset widths are the smallest that fit. The walk is iterative, so deep trees cannot exhaust the stack.
/// </summary>
internal static class BinaryPlistWriter
{
    public static void Write(PlistValue root, IBufferWriter<byte> output)
    {
        root.MakeReadOnly();
        var objects = Flatten(root);
        int refSize = UnsignedSize((ulong)(objects.Count - 1));
        var offsets = new long[objects.Count];
        var sink = new Sink(output);
        sink.Write(BinaryPlist.Magic);

        int nextChild = 1;
        for (int i = 0; i < objects.Count; i++)
        {
            offsets[i] = sink.Position;
            WriteObject(ref sink, objects[i], refSize, ref nextChild);
        }

        long tableOffset = sink.Position;
        int offsetSize = UnsignedSize((ulong)offsets[^1]);
        Span<byte> scratch = stackalloc byte[8];
        foreach (long offset in offsets)
        {
            BinaryPrimitives.WriteUInt64BigEndian(scratch, (ulong)offset);
            sink.Write(scratch[(8 - offsetSize)..]);
        }

        Span<byte> trailer = stackalloc byte[32];
        trailer.Clear();
        trailer[6] = (byte)offsetSize;
        trailer[7] = (byte)refSize;
        BinaryPrimitives.WriteUInt64BigEndian(trailer[8..], (ulong)objects.Count);
        BinaryPrimitives.WriteUInt64BigEndian(trailer[16..], 0);
        BinaryPrimitives.WriteUInt64BigEndian(trailer[24..], (ulong)tableOffset);
        sink.Write(trailer);
    }

    internal static int UnsignedSize(ulong value) => value switch
    {
        <= byte.MaxValue => 1,
        <= ushort.MaxValue => 2,
        <= uint.MaxValue => 4,
        _ => 8,
    };

    private static List<Item> Flatten(PlistValue root)
    {
        var objects = new List<Item> { new(root, null) };
        for (int i = 0; i < objects.Count; i++)
        {
            switch (objects[i].Value)
            {
                case PlistArray array:
                    foreach (var item in array)
                    {
                        objects.Add(new(item, null));
                    }

                    break;
                case PlistSet set:
                    foreach (var item in set)
                    {
                        objects.Add(new(item, null));
                    }

                    break;
                case PlistDict dict:
                    foreach (var (key, _) in dict)
                    {
                        objects.Add(new(null, key));
                    }

                    foreach (var (_, value) in dict)
                    {
                        objects.Add(new(value, null));
                    }

                    break;
            }
        }

        return objects;
    }

    private static void WriteObject(ref Sink sink, Item item, int refSize, ref int nextChild)
    {
        if (item.Key is { } key)
        {
            WriteString(ref sink, key);
            return;
        }

        switch (item.Value)
        {
            case PlistNull:
                sink.WriteByte(0x00);
                break;
            case PlistBoolean b:
                sink.WriteByte(b.Value ? (byte)0x09 : (byte)0x08);
                break;
            case PlistInteger i:
                WriteInteger(ref sink, i.Value);
                break;
            case PlistReal r:
                WriteReal(ref sink, r);
                break;
            case PlistDate d:
            {
                Span<byte> bytes = stackalloc byte[9];
                bytes[0] = 0x33;
                BinaryPrimitives.WriteDoubleBigEndian(bytes[1..], d.SecondsSinceReference);
                sink.Write(bytes);
                break;
            }

            case PlistData data:
                WriteMarker(ref sink, 0x40, data.Length);
                sink.Write(data.Span);
                break;
            case PlistString s:
                WriteString(ref sink, s.Value);
                break;
            case PlistUid uid:
                WriteUid(ref sink, uid.Value);
                break;
            case PlistArray array:
                WriteMarker(ref sink, 0xA0, array.Count);
                WriteRefs(ref sink, refSize, ref nextChild, array.Count);
                break;
            case PlistSet set:
                WriteMarker(ref sink, 0xC0, set.Count);
                WriteRefs(ref sink, refSize, ref nextChild, set.Count);
                break;
            case PlistDict dict:
                WriteMarker(ref sink, 0xD0, dict.Count);
                WriteRefs(ref sink, refSize, ref nextChild, dict.Count * 2);
                break;
            default:
                throw new ArgumentException($"Unsupported plist value type {item.Value?.GetType().Name}.", nameof(item));
        }
    }

    private static void WriteRefs(ref Sink sink, int refSize, ref int nextChild, int count)
    {
        Span<byte> scratch = stackalloc byte[8];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(scratch, (ulong)nextChild++);
            sink.Write(scratch[(8 - refSize)..]);
        }
    }

    private static void WriteMarker(ref Sink sink, byte high, int count)
    {
        if (count < 15)
        {
            sink.WriteByte((byte)(high | count));
            return;
        }

        sink.WriteByte((byte)(high | 0x0F));
        WriteInteger(ref sink, count);
    }

    private static void WriteInteger(ref Sink sink, Int128 value)
    {
        Span<byte> bytes = stackalloc byte[17];
        int size;
        if (value < 0 || value > ulong.MaxValue / 2)
        {
            size = value < 0 ? 8 : 16;
        }
        else
        {
            size = value > uint.MaxValue ? 8 : UnsignedSize((ulong)value);
        }

        bytes[0] = (byte)(0x10 | int.Log2(size));
        if (size == 16)
        {
            BinaryPrimitives.WriteInt128BigEndian(bytes[1..], value);
        }
        else
        {
            Span<byte> wide = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(wide, (long)value);
            wide[(8 - size)..].CopyTo(bytes[1..]);
        }

        sink.Write(bytes[..(1 + size)]);
    }

    private static void WriteReal(ref Sink sink, PlistReal real)
    {
        Span<byte> bytes = stackalloc byte[9];
        if (real.IsSinglePrecision)
        {
            bytes[0] = 0x22;
            BinaryPrimitives.WriteSingleBigEndian(bytes[1..], (float)real.Value);
            sink.Write(bytes[..5]);
        }
        else
        {
            bytes[0] = 0x23;
            BinaryPrimitives.WriteDoubleBigEndian(bytes[1..], real.Value);
            sink.Write(bytes);
        }
    }

    private static void WriteUid(ref Sink sink, ulong value)
    {
        int size = UnsignedSize(value);
        Span<byte> bytes = stackalloc byte[9];
        bytes[0] = (byte)(0x80 | (size - 1));
        Span<byte> wide = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(wide, value);
        wide[(8 - size)..].CopyTo(bytes[1..]);
        sink.Write(bytes[..(1 + size)]);
    }

    private static void WriteString(ref Sink sink, string value)
    {
        if (Ascii.IsValid(value))
        {
            WriteMarker(ref sink, 0x50, value.Length);
            var span = sink.GetSpan(value.Length);
            Encoding.ASCII.GetBytes(value, span);
            sink.Advance(value.Length);
        }
        else
        {
            WriteMarker(ref sink, 0x60, value.Length);
            int length = value.Length * 2;
            var span = sink.GetSpan(length);
            Encoding.BigEndianUnicode.GetBytes(value, span);
            sink.Advance(length);
        }
    }

    private readonly record struct Item(PlistValue? Value, string? Key);

    /// <summary>An <see cref="IBufferWriter{T}"/> that counts what it wrote.</summary>
    private struct Sink(IBufferWriter<byte> output)
    {
        public long Position { get; private set; }

        public readonly Span<byte> GetSpan(int length) => output.GetSpan(length)[..length];

        public void Advance(int length)
        {
            output.Advance(length);
            Position += length;
        }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(output.GetSpan(bytes.Length));
            Advance(bytes.Length);
        }

        public void WriteByte(byte value)
        {
            output.GetSpan(1)[0] = value;
            Advance(1);
        }
    }
}
