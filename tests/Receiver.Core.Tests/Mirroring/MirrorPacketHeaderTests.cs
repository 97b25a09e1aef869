using Receiver.Core.Mirroring;

namespace Receiver.Core.Tests.Mirroring;

public class MirrorPacketHeaderTests
{
    [Fact]
    public void TryParse_CodecPacketBytes_ReadsAllFields()
    {
        var bytes = new byte[128];
        bytes[0] = 0x2A;
        bytes[1] = 0x01;
        bytes[4] = 1;
        bytes[5] = 0x10;
        bytes[6] = 0x16;
        bytes[7] = 0x01;
        BitConverter.TryWriteBytes(bytes.AsSpan(8), 0x0000_0123_8000_0000UL);
        BitConverter.TryWriteBytes(bytes.AsSpan(16), 1920f);
        BitConverter.TryWriteBytes(bytes.AsSpan(20), 1080f);
        BitConverter.TryWriteBytes(bytes.AsSpan(40), 1920f);
        BitConverter.TryWriteBytes(bytes.AsSpan(44), 1080f);
        BitConverter.TryWriteBytes(bytes.AsSpan(56), 1280f);
        BitConverter.TryWriteBytes(bytes.AsSpan(60), 720f);

        Assert.True(MirrorPacketHeader.TryParse(bytes, out var header));

        Assert.Equal(0x12Au, header.PayloadSize);
        Assert.Equal(MirrorPayloadType.CodecData, header.PayloadType);
        Assert.True(header.IsIdr);
        Assert.Equal(0x0116, header.Option);
        Assert.Equal(0x0000_0123_8000_0000UL, header.Timestamp);
        Assert.Equal((0x123 * 1_000_000_000UL) + 500_000_000UL, header.TimestampNanoseconds);
        Assert.Equal(1920f, header.SourceWidth);
        Assert.Equal(1080f, header.SourceHeight);
        Assert.Equal(1920f, header.SecondaryWidth);
        Assert.Equal(1080f, header.SecondaryHeight);
        Assert.Equal(1280f, header.StreamWidth);
        Assert.Equal(720f, header.StreamHeight);
    }

    [Fact]
    public void TryParse_UnknownType_KeepsRawValue()
    {
        var bytes = new byte[128];
        bytes[4] = 0x42;
        Assert.True(MirrorPacketHeader.TryParse(bytes, out var header));
        Assert.Equal((MirrorPayloadType)0x42, header.PayloadType);
    }

    [Fact]
    public void TryParse_ShortSpan_ReturnsFalse() =>
        Assert.False(MirrorPacketHeader.TryParse(new byte[127], out _));

    [Fact]
    public void WriteTo_ThenTryParse_RoundTrips()
    {
        var header = new MirrorPacketHeader
        {
            PayloadSize = 6908,
            PayloadType = MirrorPayloadType.Video,
            Flags = MirrorPacketHeader.IdrFlag,
            Option = 0,
            Timestamp = 0x0001_2345_6789_ABCDUL,
            StreamWidth = 1280,
            StreamHeight = 720,
        };
        var bytes = Enumerable.Repeat((byte)0xEE, 130).ToArray();
        header.WriteTo(bytes);

        Assert.True(MirrorPacketHeader.TryParse(bytes, out var parsed));
        Assert.Equal(header, parsed);
        Assert.All(bytes[64..128], b => Assert.Equal(0, b));
        Assert.Equal(0xEE, bytes[128]);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(1UL << 32, 1_000_000_000UL)]
    [InlineData((5UL << 32) | 0x8000_0000UL, 5_500_000_000UL)]
    [InlineData(0xFFFF_FFFFUL, 999_999_999UL)]
    public void NtpToNanoseconds_KnownValues(ulong ntp, ulong nanoseconds) =>
        Assert.Equal(nanoseconds, MirrorPacketHeader.NtpToNanoseconds(ntp));

    [Fact]
    public void NanosecondsToNtp_RoundTripsExactly()
    {
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var ns = (ulong)random.NextInt64(0, long.MaxValue / 4);
            Assert.Equal(ns, MirrorPacketHeader.NtpToNanoseconds(MirrorPacketHeader.NanosecondsToNtp(ns)));
        }

        Assert.Equal(1UL << 32, MirrorPacketHeader.NanosecondsToNtp(1_000_000_000));
    }
}
