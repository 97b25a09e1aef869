using System.Buffers.Binary;
using Receiver.Core.Media;
using Receiver.Core.Rtp;

namespace Receiver.Core.Tests.Rtp;

public sealed class H264RtpPacketizerTests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    [Fact]
    public void Packetize_SmallNalUnits_OneSingleNalPacketEachWithMarkerOnTheLast()
    {
        var sink = new PacketList();
        var packetizer = new H264RtpPacketizer(new RtpPacketizer(96, 0x11223344, 100));
        var written = packetizer.Packetize(Avcc([0x06, 1, 2], [0x41, 9, 9, 9]), 4, 90_000, sink);

        Assert.Equal(2, written);
        Assert.Equal([0x06, 1, 2], sink.Packets[0][12..]);
        Assert.Equal([0x41, 9, 9, 9], sink.Packets[1][12..]);
        Assert.False(Marker(sink.Packets[0]));
        Assert.True(Marker(sink.Packets[1]));
        Assert.Equal(100, Sequence(sink.Packets[0]));
        Assert.Equal(101, Sequence(sink.Packets[1]));
        Assert.All(sink.Packets, p => Assert.Equal(90_000u, BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4))));
        Assert.All(sink.Packets, p => Assert.Equal(0x11223344u, BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(8))));
        Assert.All(sink.Packets, p => Assert.Equal(0x80, p[0]));
        Assert.All(sink.Packets, p => Assert.Equal(96, p[1] & 0x7F));
    }

    [Fact]
    public void Packetize_LargeNalUnit_FuAFragmentsThatReassembleToIt()
    {
        var nal = new byte[5000];
        new Random(7).NextBytes(nal);
        nal[0] = 0x65;
        var sink = new PacketList();
        var packetizer = new H264RtpPacketizer(new RtpPacketizer(96, 1), maxPayload: 1200);
        packetizer.SetParameterSets([Sps, Pps]);
        packetizer.Packetize(Avcc(Sps, Pps, nal), 4, 0, sink);

        // SPS and PPS of the access unit itself are sent as they are, not a second time.
        Assert.Equal(Sps, sink.Packets[0][12..]);
        Assert.Equal(Pps, sink.Packets[1][12..]);
        var fragments = sink.Packets.Skip(2).ToList();
        Assert.All(sink.Packets, p => Assert.True(p.Length <= 12 + 1200));
        Assert.All(fragments, p => Assert.Equal(0x60 | 28, p[12]));
        Assert.Equal(0x80 | 5, fragments[0][13]);
        Assert.Equal(0x40 | 5, fragments[^1][13]);
        Assert.All(fragments.Skip(1).SkipLast(1), p => Assert.Equal(5, p[13]));
        Assert.True(Marker(fragments[^1]));
        Assert.All(sink.Packets.SkipLast(1), p => Assert.False(Marker(p)));
        var reassembled = new List<byte> { (byte)((fragments[0][12] & 0xE0) | (fragments[0][13] & 0x1F)) };
        foreach (var fragment in fragments)
        {
            reassembled.AddRange(fragment[14..]);
        }

        Assert.Equal(nal, reassembled);
    }

    [Fact]
    public void Packetize_IdrWithoutParameterSets_SendsTheCurrentOnesAheadWithTheSameTimestamp()
    {
        var sink = new PacketList();
        var packetizer = new H264RtpPacketizer(new RtpPacketizer(96, 1));
        packetizer.SetParameterSets([Sps, Pps]);
        packetizer.Packetize(Avcc([0x65, 1, 2, 3]), 4, 1234, sink);
        packetizer.Packetize(Avcc([0x41, 4, 5]), 4, 4234, sink);

        Assert.Equal(4, sink.Packets.Count);
        Assert.Equal(Sps, sink.Packets[0][12..]);
        Assert.Equal(Pps, sink.Packets[1][12..]);
        Assert.Equal([0x65, 1, 2, 3], sink.Packets[2][12..]);
        Assert.Equal(1234u, BinaryPrimitives.ReadUInt32BigEndian(sink.Packets[0].AsSpan(4)));
        Assert.Equal([0x41, 4, 5], sink.Packets[3][12..]);
        Assert.Equal([0, 1, 2, 3], sink.Packets.Select(p => (int)Sequence(p)));
    }

    [Fact]
    public void Packetize_TwoByteLengths_ReadsThem()
    {
        var sink = new PacketList();
        var packetizer = new H264RtpPacketizer(new RtpPacketizer(96, 1));
        packetizer.Packetize([0, 3, 0x41, 7, 8], 2, 0, sink);

        Assert.Equal([0x41, 7, 8], Assert.Single(sink.Packets)[12..]);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 9, 0x41, 1 })]
    [InlineData(new byte[] { 0, 0, 0, 1, 0x41, 0, 0 })]
    public void Packetize_LengthPastTheAccessUnit_ThrowsAndSendsNothing(byte[] accessUnit)
    {
        var sink = new PacketList();
        var packetizer = new H264RtpPacketizer(new RtpPacketizer(96, 1));

        Assert.Throws<MediaFormatException>(() => packetizer.Packetize(accessUnit, 4, 0, sink));
        Assert.Empty(sink.Packets);
    }

    [Fact]
    public void WriteHeader_SequenceWrapsAround()
    {
        var rtp = new RtpPacketizer(111, 5, ushort.MaxValue);
        var header = new byte[12];
        rtp.WriteHeader(header, 0, marker: true);

        Assert.Equal(ushort.MaxValue, BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)));
        Assert.Equal(0x80 | 111, header[1]);
        Assert.Equal(0, rtp.NextSequence);
    }

    private static byte[] Avcc(params byte[][] nals)
    {
        var result = new List<byte>();
        foreach (var nal in nals)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, nal.Length);
            result.AddRange(length);
            result.AddRange(nal);
        }

        return [.. result];
    }

    private static bool Marker(byte[] packet) => (packet[1] & 0x80) != 0;

    private static ushort Sequence(byte[] packet) => BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));

    private sealed class PacketList : IRtpPacketSink
    {
        public List<byte[]> Packets { get; } = [];

        public void Send(ReadOnlySpan<byte> packet) => Packets.Add(packet.ToArray());
    }
}
