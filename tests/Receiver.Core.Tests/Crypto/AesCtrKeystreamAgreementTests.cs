using System.Buffers.Binary;
using Receiver.Core.Crypto;

namespace Receiver.Core.Tests.Crypto;

/// <summary>
/// The AES-NI keystream and the platform's AES-ECB fallback give the same stream as the block-at-a-time reference
/// (.NET's AES-ECB over each counter block) for any sequence of calls: call sizes that end mid-block and mid-group,
/// in place and into another buffer, skips, and counters that carry across 2^64 and wrap at 2^128.
/// </summary>
public class AesCtrKeystreamAgreementTests
{
    public static TheoryData<bool, int> SourcesAndSeeds()
    {
        var data = new TheoryData<bool, int>();
        foreach (var aesNi in new[] { true, false })
        {
            for (var seed = 1; seed <= 6; seed++)
            {
                data.Add(aesNi, seed);
            }
        }

        return data;
    }

    public static TheoryData<bool, int> SourcesAndBlocksBeforeWrap()
    {
        var data = new TheoryData<bool, int>();
        foreach (var aesNi in new[] { true, false })
        {
            foreach (var blocks in new[] { 1, 2, 3, 7, 8, 9, 15, 16, 17, 100, 2047, 2048, 2049 })
            {
                data.Add(aesNi, blocks);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourcesAndSeeds))]
    public void Transform_RandomCallSequence_MatchesReference(bool aesNi, int seed)
    {
        var random = new Random(seed);
        var key = Bytes(random, 16);
        var iv = Bytes(random, 16);
        var data = Bytes(random, 600_000);
        var reference = AesCtrTests.ReferenceCtr(key, iv, data);
        var expected = (byte[])data.Clone();
        var output = new byte[data.Length];
        var inPlace = (byte[])data.Clone();

        using var ctr = AesCtrTests.Create(key, iv, aesNi);
        using var ctrInPlace = AesCtrTests.Create(key, iv, aesNi);
        var position = 0;
        while (position < data.Length)
        {
            var size = Math.Min(NextCallSize(random), data.Length - position);
            if (random.Next(10) == 0)
            {
                // Skipped bytes stay as they were; the stream after them must still line up.
                ctr.Skip(size);
                ctrInPlace.Skip(size);
                data.AsSpan(position, size).CopyTo(output.AsSpan(position));
            }
            else
            {
                ctr.Transform(data.AsSpan(position, size), output.AsSpan(position, size));
                ctrInPlace.Transform(inPlace.AsSpan(position, size));
                reference.AsSpan(position, size).CopyTo(expected.AsSpan(position));
            }

            position += size;
        }

        Assert.True(expected.AsSpan().SequenceEqual(output), "separate buffers");
        Assert.True(expected.AsSpan().SequenceEqual(inPlace), "in place");
    }

    [Theory]
    [MemberData(nameof(SourcesAndSeeds))]
    public void Transform_SameCalls_AesNiAndFallbackAgree(bool inPlace, int seed)
    {
        var random = new Random(seed + 100);
        var key = Bytes(random, 16);
        var iv = Bytes(random, 16);

        // Start a few blocks before the low half carries, so the carry falls inside the calls.
        BinaryPrimitives.WriteUInt64BigEndian(iv.AsSpan(8), ulong.MaxValue - (ulong)random.Next(0, 5000));
        var data = Bytes(random, 300_000);
        var fastestOutput = inPlace ? (byte[])data.Clone() : new byte[data.Length];
        var fallbackOutput = inPlace ? (byte[])data.Clone() : new byte[data.Length];

        using var fastest = AesCtrTests.Create(key, iv, aesNi: true);
        using var fallback = AesCtrTests.Create(key, iv, aesNi: false);
        Assert.Equal(AesImplementation.Platform, fallback.Implementation);
        var position = 0;
        while (position < data.Length)
        {
            var size = Math.Min(NextCallSize(random), data.Length - position);
            if (inPlace)
            {
                fastest.Transform(fastestOutput.AsSpan(position, size));
                fallback.Transform(fallbackOutput.AsSpan(position, size));
            }
            else
            {
                fastest.Transform(data.AsSpan(position, size), fastestOutput.AsSpan(position, size));
                fallback.Transform(data.AsSpan(position, size), fallbackOutput.AsSpan(position, size));
            }

            position += size;
        }

        Assert.True(fallbackOutput.AsSpan().SequenceEqual(fastestOutput));
        Assert.False(data.AsSpan().SequenceEqual(fastestOutput));
    }

    [Theory]
    [MemberData(nameof(SourcesAndBlocksBeforeWrap))]
    public void Transform_LowHalfCarriesAt2To64_MatchesReference(bool aesNi, int blocksBeforeCarry)
    {
        var iv = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(iv, 0x0123_4567_89AB_CDEF);
        BinaryPrimitives.WriteUInt64BigEndian(iv.AsSpan(8), unchecked(0UL - (ulong)blocksBeforeCarry));
        AssertAcrossCarry(iv, blocksBeforeCarry, aesNi);
    }

    [Theory]
    [MemberData(nameof(SourcesAndBlocksBeforeWrap))]
    public void Transform_CounterWrapsAt2To128_MatchesReference(bool aesNi, int blocksBeforeWrap)
    {
        var iv = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(iv, ulong.MaxValue);
        BinaryPrimitives.WriteUInt64BigEndian(iv.AsSpan(8), unchecked(0UL - (ulong)blocksBeforeWrap));
        AssertAcrossCarry(iv, blocksBeforeWrap, aesNi);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Transform_ManyCalls_AllocatesNothing(bool aesNi)
    {
        var random = new Random(7);
        var key = Bytes(random, 16);
        var iv = Bytes(random, 16);
        var buffer = Bytes(random, 300_000);
        var output = new byte[buffer.Length];
        var sizes = Enumerable.Range(0, 10_000).Select(_ => NextCallSize(random)).ToArray();
        using var ctr = AesCtrTests.Create(key, iv, aesNi);

        var allocated = SteadyStateAllocations.Measure(() => RunCalls(ctr, sizes, buffer, output));

        Assert.Equal(0, allocated);
    }

    private static void RunCalls(AesCtr ctr, ReadOnlySpan<int> sizes, byte[] buffer, byte[] output)
    {
        for (var i = 0; i < sizes.Length; i++)
        {
            var size = Math.Min(sizes[i], buffer.Length);
            switch (i % 3)
            {
                case 0:
                    ctr.Transform(buffer.AsSpan(0, size));
                    break;
                case 1:
                    ctr.Transform(buffer.AsSpan(0, size), output.AsSpan(0, size));
                    break;
                default:
                    ctr.Skip(size % 1000);
                    break;
            }
        }
    }

    private static void AssertAcrossCarry(byte[] iv, int blocksBefore, bool aesNi)
    {
        var key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        var data = new byte[((blocksBefore + 40) * AesCtr.BlockSize) + 5];
        new Random(blocksBefore).NextBytes(data);
        var expected = AesCtrTests.ReferenceCtr(key, iv, data);

        using (var whole = AesCtrTests.Create(key, iv, aesNi))
        {
            var output = new byte[data.Length];
            whole.Transform(data, output);
            Assert.True(expected.AsSpan().SequenceEqual(output), "one call");
        }

        // Calls ending just before, at and after the carry, and mid-block around it.
        var carryAt = blocksBefore * AesCtr.BlockSize;
        foreach (var split in new[] { carryAt - 17, carryAt - 1, carryAt, carryAt + 1, carryAt + 16, carryAt + 129 })
        {
            if (split < 0 || split > data.Length)
            {
                continue;
            }

            using var ctr = AesCtrTests.Create(key, iv, aesNi);
            var inPlace = (byte[])data.Clone();
            ctr.Transform(inPlace.AsSpan(0, split));
            ctr.Transform(inPlace.AsSpan(split));
            Assert.True(expected.AsSpan().SequenceEqual(inPlace), $"split at {split}");
        }
    }

    /// <summary>Mostly packet-like sizes, some tiny, a few of whole keystream batches.</summary>
    private static int NextCallSize(Random random) => random.Next(8) switch
    {
        0 => random.Next(0, 17),
        1 => random.Next(0, 257),
        2 or 3 or 4 => random.Next(0, 2000),
        5 or 6 => random.Next(2000, 20_000),
        _ => random.Next(20_000, 70_000),
    };

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
