using System.Buffers.Binary;
using System.Diagnostics;
using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Plist;

public sealed class BinaryPlistRobustnessTests
{
    [Theory]
    [InlineData("bad-count-not-int.bplist", "not an integer")]
    [InlineData("bad-cycle.bplist", "cycle")]
    [InlineData("bad-empty.bplist", "header")]
    [InlineData("bad-header-only.bplist", "too short")]
    [InlineData("bad-int-size.bplist", "integer at offset")]
    [InlineData("bad-magic.bplist", "header")]
    [InlineData("bad-nonstring-key.bplist", "not a string")]
    [InlineData("bad-object-in-header.bplist", "outside the object area")]
    [InlineData("bad-offset-size-zero.bplist", "offset size 0")]
    [InlineData("bad-offset-table-outside.bplist", "offset table")]
    [InlineData("bad-real-size.bplist", "real at offset")]
    [InlineData("bad-ref-out-of-range.bplist", "object reference 127")]
    [InlineData("bad-self-cycle.bplist", "cycle")]
    [InlineData("bad-string-overflow.bplist", "claims 200 entries")]
    [InlineData("bad-top-out-of-range.bplist", "top object")]
    [InlineData("bad-truncated-middle.bplist", "trailer")]
    [InlineData("bad-truncated-trailer.bplist", "trailer")]
    [InlineData("bad-unknown-marker.bplist", "unknown marker 0x70")]
    [InlineData("bad-zero-objects.bplist", "zero objects")]
    public void Read_RejectedVector_NamesTheDefect(string file, string reason)
    {
        var e = Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(PlistVectors.Bytes(file)));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PlistVectorData.Accepted), MemberType = typeof(PlistVectorData))]
    public void Read_EveryPrefixOfValidFile_ThrowsPlistFormatException(string file)
    {
        var bytes = PlistVectors.Bytes(file);

        for (int length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(prefix));
        }
    }

    [Theory]
    [MemberData(nameof(PlistVectorData.Accepted), MemberType = typeof(PlistVectorData))]
    public void Read_RandomMutations_OnlyEverThrowsPlistFormatException(string file)
    {
        var original = PlistVectors.Bytes(file);
        var random = new Random(file.Length * 7919);
        int rounds = original.Length > 5000 ? 200 : 1500;

        for (int round = 0; round < rounds; round++)
        {
            var bytes = (byte[])original.Clone();
            int edits = random.Next(1, 5);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(3) == 0 ? bytes.Length - 1 - random.Next(Math.Min(32, bytes.Length)) : random.Next(bytes.Length);
                bytes[at] = random.Next(2) == 0 ? (byte)random.Next(256) : (byte)(bytes[at] ^ (1 << random.Next(8)));
            }

            try
            {
                var value = BinaryPlist.Read(bytes);
                BinaryPlist.Write(value);
            }
            catch (PlistFormatException)
            {
            }
        }
    }

    [Fact]
    public void Read_MillionNestedArrays_RejectedQuicklyForDepth()
    {
        PlistValue deep = new PlistArray();
        for (int i = 1; i < 1_000_000; i++)
        {
            deep = new PlistArray(deep);
        }

        var bytes = BinaryPlist.Write(deep);
        var limits = new PlistLimits { MaxObjects = 2_000_000, MaxBytes = 64 * 1024 * 1024 };

        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(bytes, limits));
        watch.Stop();

        Assert.Contains("deeper than the limit of 64", e.Message, StringComparison.Ordinal);
        // A guard against unbounded work, not a speed measurement (that is bench/'s job).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(bytes));
    }

    [Fact]
    public void Read_NestingAtTheDepthLimit_Accepted()
    {
        PlistValue deep = new PlistArray();
        for (int i = 1; i < 64; i++)
        {
            deep = new PlistArray(deep);
        }

        Assert.Equal(deep, BinaryPlist.Read(BinaryPlist.Write(deep)));
        Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(BinaryPlist.Write(new PlistArray(deep))));
    }

    [Fact]
    public void Read_SharedReferenceBomb_RejectedByExpandedObjectCap()
    {
        // Object i is an array holding object i+1 twice: 60 objects describe a tree of 2^60 values.
        var objects = new List<byte[]>();
        for (int i = 0; i < 59; i++)
        {
            objects.Add([0xA2, (byte)(i + 1), (byte)(i + 1)]);
        }

        objects.Add([0x09]);
        var bytes = PlistVectors.Build(objects, refSize: 1, offsetSize: 1);

        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(bytes));

        Assert.Contains("shared references", e.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}: the tree was expanded");
    }

    [Fact]
    public void Read_SharedReferencesWithinCap_DecodesEachObjectOnce()
    {
        var objects = new List<byte[]>();
        for (int i = 0; i < 10; i++)
        {
            objects.Add([0xA2, (byte)(i + 1), (byte)(i + 1)]);
        }

        objects.Add([0x09]);

        var root = BinaryPlist.Read(PlistVectors.Build(objects, refSize: 1, offsetSize: 1)).As<PlistArray>();

        Assert.Same(root[0], root[1]);
        Assert.Equal(2047, CountValues(root));
    }

    [Fact]
    public void Read_IndirectCycleThroughDict_Rejected()
    {
        // 0: {k: 2}, 1: "k", 2: [3], 3: [0]
        var objects = new List<byte[]> { new byte[] { 0xD1, 1, 2 }, "Qk"u8.ToArray(), new byte[] { 0xA1, 3 }, new byte[] { 0xA1, 0 } };

        var e = Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(PlistVectors.Build(objects, 1, 1)));

        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TopObjectInsideACycleStartingElsewhere_Rejected()
    {
        var objects = new List<byte[]> { new byte[] { 0x09 }, new byte[] { 0xA1, 2 }, new byte[] { 0xA1, 1 } };

        Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(PlistVectors.Build(objects, 1, 1, top: 2)));
    }

    [Theory]
    [InlineData(8, 0, 0)]
    [InlineData(16, 0, 0)]
    [InlineData(24, 0, 0)]
    [InlineData(6, 9, 1)]
    [InlineData(7, 0, 1)]
    public void Read_TrailerLies_Rejected(int field, byte value, int width)
    {
        var bytes = BinaryPlist.Write(new PlistDict { ["a"] = new PlistArray(1, 2, 3), ["b"] = "text" });
        var trailer = bytes.AsSpan(bytes.Length - 32);
        if (width == 0)
        {
            ulong current = BinaryPrimitives.ReadUInt64BigEndian(trailer[field..]);
            BinaryPrimitives.WriteUInt64BigEndian(trailer[field..], current + 1000);
        }
        else
        {
            trailer[field] = value;
        }

        Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 0x5F, 0x13, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x5F, 0x13, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x6F, 0x12, 0x7F, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0xAF, 0x12, 0x40, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0xDF, 0x12, 0x7F, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x4F, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5 })]
    [InlineData(new byte[] { 0x14, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x8F, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x33, 0, 0, 0 })]
    [InlineData(new byte[] { 0x0F })]
    public void Read_OverflowingLengthsAndValues_Rejected(byte[] obj)
    {
        var bytes = PlistVectors.Build([obj], refSize: 1, offsetSize: 1);

        Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(bytes));
    }

    [Fact]
    public void Read_InputAboveMaxBytes_Rejected()
    {
        var bytes = BinaryPlist.Write(new PlistData(new byte[2000]));

        var e = Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(bytes, new PlistLimits { MaxBytes = 1000 }));

        Assert.Contains("1000-byte limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ObjectCountAboveLimit_Rejected()
    {
        var bytes = BinaryPlist.Write(new PlistArray(Enumerable.Range(0, 50).Select(i => (PlistValue)i)));

        Assert.Throws<PlistFormatException>(() => BinaryPlist.Read(bytes, new PlistLimits { MaxObjects = 20 }));
        Assert.Equal(51, CountValues(BinaryPlist.Read(bytes, new PlistLimits { MaxObjects = 51 })));
    }

    [Fact]
    public void Read_TrailingGarbageAfterTrailer_Rejected()
    {
        var bytes = BinaryPlist.Write(new PlistDict { ["k"] = 1 });

        Assert.Throws<PlistFormatException>(() => BinaryPlist.Read([.. bytes, 0, 0, 0, 0]));
    }

    private static int CountValues(PlistValue value) => value switch
    {
        PlistArray a => 1 + a.Sum(CountValues),
        PlistSet s => 1 + s.Sum(CountValues),
        PlistDict d => 1 + d.Sum(p => 1 + CountValues(p.Value)),
        _ => 1,
    };
}
