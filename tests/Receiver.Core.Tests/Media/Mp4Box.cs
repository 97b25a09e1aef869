using System.Buffers.Binary;
using System.Text;

namespace Receiver.Core.Tests.Media;

/// <summary>A test-side ISO BMFF box walker: type, offset, size and children of container boxes.</summary>
internal sealed record Mp4Box(string Type, int Offset, int Size, byte[] File, IReadOnlyList<Mp4Box> Children)
{
    private static readonly HashSet<string> Containers = ["moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex", "moof", "traf"];

    /// <summary>The box body after the 8-byte header.</summary>
    public ReadOnlySpan<byte> Body => File.AsSpan(Offset + 8, Size - 8);

    public uint U32(int bodyOffset) => BinaryPrimitives.ReadUInt32BigEndian(Body[bodyOffset..]);

    public ulong U64(int bodyOffset) => BinaryPrimitives.ReadUInt64BigEndian(Body[bodyOffset..]);

    public Mp4Box Child(string type) => Children.Single(c => c.Type == type);

    public static IReadOnlyList<Mp4Box> Parse(byte[] file) => Parse(file, 0, file.Length);

    private static List<Mp4Box> Parse(byte[] file, int start, int end)
    {
        var boxes = new List<Mp4Box>();
        var offset = start;
        while (offset < end)
        {
            Assert.True(end - offset >= 8, $"truncated box header at {offset}");
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset));
            var type = Encoding.ASCII.GetString(file, offset + 4, 4);
            Assert.True(size >= 8 && offset + size <= end, $"box {type} at {offset} has size {size} beyond its parent");
            IReadOnlyList<Mp4Box> children = [];
            if (Containers.Contains(type))
            {
                children = Parse(file, offset + 8, offset + size);
            }
            else if (type == "stsd")
            {
                children = Parse(file, offset + 16, offset + size);
            }
            else if (type is "avc1" or "hvc1")
            {
                children = Parse(file, offset + 8 + 78, offset + size);
            }
            else if (type == "dref")
            {
                children = Parse(file, offset + 16, offset + size);
            }

            boxes.Add(new Mp4Box(type, offset, size, file, children));
            offset += size;
        }

        return boxes;
    }
}
