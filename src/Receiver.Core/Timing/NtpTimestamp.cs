using System.Buffers.Binary;

namespace Receiver.Core.Timing;

/// <summary>32.32 fixed-point NTP timestamps as carried by AirPlay timing and mirror packets.</summary>
public static class NtpTimestamp
{
    /// <summary>Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch).</summary>
    public const ulong UnixEpochOffsetSeconds = 2_208_988_800UL;

    public static long ToNanoseconds(ulong ntp)
    {
        var seconds = ntp >> 32;
        var fraction = ntp & 0xFFFF_FFFFUL;
        return unchecked((long)(seconds * 1_000_000_000UL + ((fraction * 1_000_000_000UL) >> 32)));
    }

    public static ulong FromNanoseconds(long nanoseconds)
    {
        var ns = (ulong)nanoseconds;
        var seconds = ns / 1_000_000_000UL;
        var remainder = ns % 1_000_000_000UL;
        return (seconds << 32) | ((remainder << 32) / 1_000_000_000UL);
    }

    /// <summary>Local wall clock as nanoseconds since the NTP epoch.</summary>
    public static long NowNanoseconds(TimeProvider time)
    {
        var unixNs = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100L;
        return unixNs + (long)UnixEpochOffsetSeconds * 1_000_000_000L;
    }

    public static ulong ReadBigEndian(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt64BigEndian(source);

    public static void WriteBigEndian(Span<byte> destination, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(destination, value);
}
