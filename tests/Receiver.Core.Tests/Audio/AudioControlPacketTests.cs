using Receiver.Core.Audio;
using Receiver.Core.Rtp;
using Receiver.Core.Timing;

namespace Receiver.Core.Tests.Audio;

public sealed class AudioControlPacketTests
{
    [Fact]
    public void TryParse_SyncPacket_ReadsTimes()
    {
        var bytes = new byte[20];
        new AudioSyncPacket(1000, 0x0000_0001_8000_0000, 8497).WriteTo(bytes, first: true);
        Assert.Equal(0x90, bytes[0]);
        Assert.Equal(0xD4, bytes[1]);
        Assert.True(AudioSyncPacket.TryParse(bytes, out var sync));
        Assert.Equal(new AudioSyncPacket(1000, 0x0000_0001_8000_0000, 8497), sync);
        Assert.False(AudioSyncPacket.TryParse(bytes.AsSpan(0, 19), out _));
    }

    [Fact]
    public void WriteTo_ResendRequest_MatchesWireFormat()
    {
        var bytes = new byte[8];
        new AudioResendRequest(1, 0x1234, 3).WriteTo(bytes);
        Assert.Equal(new byte[] { 0x80, 0xD5, 0, 1, 0x12, 0x34, 0, 3 }, bytes);
        Assert.True(AudioResendRequest.TryParse(bytes, out var parsed));
        Assert.Equal((ushort)0x1234, parsed.FirstMissing);
    }

    [Fact]
    public void TryGetPacket_Retransmission_ReturnsInnerRtp()
    {
        var rtp = new byte[16];
        new RtpHeader(96, 7, 480, 0).WriteTo(rtp);
        var packet = AudioRetransmission.Create(9, rtp);
        Assert.Equal(0xD6, packet[1]);
        Assert.True(AudioRetransmission.TryGetPacket(packet, out var inner));
        Assert.True(inner.SequenceEqual(rtp));
        Assert.False(AudioRetransmission.TryGetPacket(packet.AsSpan(0, 8), out _));
    }

    [Fact]
    public void ToSenderNanoseconds_AfterSync_ExactSamplePeriod()
    {
        var clock = new AudioClock();
        var syncNs = 3_900_000_000L * 1_000_000_000L;
        clock.Update(uint.MaxValue - 100, syncNs);
        var ns = clock.ToSenderNanoseconds(unchecked(uint.MaxValue - 100 + (44100u * 60))); // wraps past zero
        Assert.InRange(ns - syncNs - 60_000_000_000L, -1, 1);
        Assert.InRange(clock.ToSenderNanoseconds(uint.MaxValue - 100 - 441) - syncNs + 10_000_000, -1, 1);
    }

    [Fact]
    public void TryRead_AdtsSplitAcrossChunks_ReturnsRawFrames()
    {
        byte[] frame = [0xFF, 0xF1, 0x50, 0x80, 0x01, 0x3F, 0xFC, 0xAA, 0xBB];
        frame[3] = 0x80;
        frame[4] = (byte)(frame.Length >> 3);
        frame[5] = (byte)(((frame.Length & 7) << 5) | 0x1F);
        var reader = new AdtsFrameReader();
        reader.Append([0x00, .. frame.AsSpan(0, 4)]);
        Assert.False(reader.TryRead(out _));
        reader.Append([.. frame.AsSpan(4), .. frame]);
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(new byte[] { 0xAA, 0xBB }, first);
        Assert.True(reader.TryRead(out _));
        Assert.Equal(1, reader.SkippedBytes);
        Assert.Equal(44100, reader.LastHeader.SampleRate);
        Assert.Equal(new byte[] { 0x12, 0x10 }, reader.LastHeader.ToAudioSpecificConfig());
    }
}
