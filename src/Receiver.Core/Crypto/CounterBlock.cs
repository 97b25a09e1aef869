using System.Buffers.Binary;

namespace Receiver.Core.Crypto;

/// <summary>
/// The counter block of AES-CTR (NIST SP 800-38A §6.5): 16 bytes read as one 128-bit big-endian integer, held as
/// its high and low 64-bit halves. Incrementing past 2^128 − 1 wraps to zero.
/// </summary>
internal struct CounterBlock
{
    /// <summary>The first eight bytes of the block (the integer's high half).</summary>
    public ulong High;

    /// <summary>The last eight bytes of the block (the integer's low half).</summary>
    public ulong Low;

    /// <summary>Reads a 16-byte initial counter block.</summary>
    public CounterBlock(ReadOnlySpan<byte> block16)
    {
        High = BinaryPrimitives.ReadUInt64BigEndian(block16);
        Low = BinaryPrimitives.ReadUInt64BigEndian(block16[8..]);
    }

    /// <summary>Advances the counter by <paramref name="blocks"/>, carrying into the high half.</summary>
    public void Add(ulong blocks)
    {
        unchecked
        {
            var low = Low + blocks;
            if (low < Low)
            {
                High++;
            }

            Low = low;
        }
    }
}
