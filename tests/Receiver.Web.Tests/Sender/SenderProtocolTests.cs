using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Receiver.Core.Crypto;
using Receiver.Core.Discovery;
using Receiver.Core.FairPlay;
using Receiver.Core.Timing;
using Receiver.Sender.Audio;
using Receiver.Sender.Control;
using Receiver.Sender.Discovery;
using Receiver.Sender.Sessions;
using Receiver.Sender.Timing;
using Receiver.Sender.Video;

namespace Receiver.Web.Tests.Sender;

/// <summary>The sender's pure building blocks: response parsing, FairPlay case loading, audio packets, timing replies, mDNS.</summary>
public sealed class SenderProtocolTests
{
    [Fact]
    public void TryParse_PipelinedResponses_ReturnsEachWithBody()
    {
        var bytes = Encoding.Latin1.GetBytes(
            "RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 4\r\n\r\nabcd" +
            "RTSP/1.0 470 Connection Authorization Required\r\nCSeq: 2\r\n\r\n");
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(RtspResponseParser.TryParse(ref buffer, out var first));
        Assert.True(RtspResponseParser.TryParse(ref buffer, out var second));

        Assert.Equal(200, first!.StatusCode);
        Assert.Equal("abcd", Encoding.ASCII.GetString(first.Body));
        Assert.Equal("1", first.Headers["CSeq"]);
        Assert.Equal(470, second!.StatusCode);
        Assert.Equal("Connection Authorization Required", second.ReasonPhrase);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryParse_BodyIncomplete_ReturnsFalseAndKeepsBuffer()
    {
        var bytes = Encoding.Latin1.GetBytes("RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Length: 10\r\n\r\nshort");
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.False(RtspResponseParser.TryParse(ref buffer, out var response));
        Assert.Null(response);
        Assert.Equal(bytes.Length, buffer.Length);
    }

    [Fact]
    public void TryParse_MalformedStatusLine_Throws()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes("HELLO\r\n\r\n"));
        Assert.Throws<FormatException>(() => RtspResponseParser.TryParse(ref buffer, out _));
    }

    [Fact]
    public void FormatHead_Request_CarriesSenderHeadersAndLength()
    {
        var head = ControlConnection.FormatHead("SETUP", "rtsp://127.0.0.1/42", 7, "0123456789ABCDEF", "1234", 20, "application/x-apple-binary-plist", null);

        Assert.StartsWith("SETUP rtsp://127.0.0.1/42 RTSP/1.0\r\n", head, StringComparison.Ordinal);
        Assert.Contains("CSeq: 7\r\n", head, StringComparison.Ordinal);
        Assert.Contains("DACP-ID: 0123456789ABCDEF\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Active-Remote: 1234\r\n", head, StringComparison.Ordinal);
        Assert.Contains("User-Agent: AirPlay/425.1\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 20\r\n", head, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", head, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Gen00_MatchesTheReceiverSideFairPlay()
    {
        var fairPlay = FairPlayCase.Load(SenderTestMedia.FairPlayFile, "gen-00");

        Assert.Equal((16, 142, 164, 72, 16), (fairPlay.Message1.Length, fairPlay.ExpectedReply1.Length, fairPlay.Message3.Length, fairPlay.Ekey.Length, fairPlay.AesKey.Length));
        Assert.Equal(fairPlay.Mode, fairPlay.Message1[14]);
        var receiver = new FairPlaySetup();
        Assert.Equal(fairPlay.ExpectedReply1, receiver.ProcessMessage(fairPlay.Message1));
        receiver.ProcessMessage(fairPlay.Message3);
        Assert.Equal(fairPlay.AesKey, receiver.DecryptKey(fairPlay.Ekey));
    }

    [Fact]
    public void Load_UnknownCase_Throws() =>
        Assert.Throws<ArgumentException>(() => FairPlayCase.Load(SenderTestMedia.FairPlayFile, "no-such-case"));

    [Fact]
    public void Load_AirPlayStandInFrames_Reads277Frames()
    {
        var frames = AacEldFrames.Load(SenderTestMedia.AudioFrames);

        Assert.Equal(277, frames.Count);
        Assert.All(frames, f => Assert.InRange(f.Length, 103, 262));
    }

    [Fact]
    public void Parse_TruncatedRecord_Throws() =>
        Assert.Throws<FormatException>(() => AacEldFrames.Parse([0, 0, 0, 9, 1, 2]));

    [Fact]
    public void BuildPacket_Frame_DecryptsWithTheReceiverCipher()
    {
        var key = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var iv = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();
        var frame = Enumerable.Range(0, 37).Select(i => (byte)(i * 7)).ToArray();
        using var cipher = new AudioCbcDecryptor(key, iv);

        var packet = AudioStreamSender.BuildPacket(0xFFFF, 0x12345678, frame, cipher);

        Assert.Equal([0x80, 0x60, 0xFF, 0xFF, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0], packet[..12]);
        Assert.NotEqual(frame[..32], packet[12..44]);
        Assert.Equal(frame[32..], packet[44..]);
        var plain = new byte[frame.Length];
        cipher.Decrypt(packet.AsSpan(12), plain);
        Assert.Equal(frame, plain);
    }

    [Fact]
    public void BuildSync_First_HasMarkerTypeAndTimes()
    {
        var packet = AudioStreamSender.BuildSync(first: true, 1000, 0x0102030405060708);

        Assert.Equal(20, packet.Length);
        Assert.Equal((byte)0x90, packet[0]);
        Assert.Equal((byte)0xD4, packet[1]);
        Assert.Equal(1000u, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)));
        Assert.Equal(0x0102030405060708UL, BinaryPrimitives.ReadUInt64BigEndian(packet.AsSpan(8)));
        Assert.Equal(1000u + AudioStreamSender.SyncLeadSamples, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(16)));
        Assert.Equal((byte)0x80, AudioStreamSender.BuildSync(first: false, 0, 0)[0]);
    }

    [Fact]
    public async Task TimingResponder_Request_RepliesWithOriginEcho()
    {
        // The wall clock, so the reply can be compared with this machine's time.
        await using var responder = new TimingResponder(IPAddress.Loopback, clock: SimulatedSenderClock.Parse("wall", 0, TimeProvider.System));
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var request = new byte[TimingPacket.Length];
        TimingPacket.WriteRequest(request, 0, 0, 0xAABBCCDD11223344);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await client.SendAsync(request, new IPEndPoint(IPAddress.Loopback, responder.Port), cts.Token);
        var reply = await client.ReceiveAsync(cts.Token);

        Assert.Equal(TimingPacket.ReplyType, reply.Buffer[1]);
        Assert.True(TimingPacket.TryReadTimes(reply.Buffer, out var origin, out var received, out var transmit));
        Assert.Equal(0xAABBCCDD11223344UL, origin);
        Assert.True(transmit >= received);
        var now = NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(TimeProvider.System));
        Assert.InRange((long)((now >> 32) - (received >> 32)), 0, 5);
    }

    [Theory]
    [InlineData("1280x720@60", 1280, 720, 60)]
    [InlineData("640x360", 640, 360, 30)]
    public void ParsePattern_Valid_ReturnsSizeAndRate(string text, int width, int height, double rate)
    {
        var spec = VideoSourceSpec.ParsePattern(text);
        Assert.Equal((VideoSourceKind.Pattern, width, height, rate), (spec.Kind, spec.Width, spec.Height, spec.FrameRate));
    }

    [Theory]
    [InlineData("1280")]
    [InlineData("1281x720")]
    [InlineData("1280x720@0")]
    public void ParsePattern_Invalid_Throws(string text) => Assert.Throws<FormatException>(() => VideoSourceSpec.ParsePattern(text));

    [Fact]
    public void DescribeResponse_ReceiverZone_ListsPtrSrvTxt()
    {
        var instance = DnsName.Parse("Living Room._airplay._tcp.local");
        var host = DnsName.Parse("living-room.local");
        var packet = DnsResponseWriter.Write(
            [DnsResourceRecord.Ptr(DnsName.Parse("_airplay._tcp.local"), instance, 4500)],
            [DnsResourceRecord.Srv(instance, host, 7000, 120), DnsResourceRecord.Txt(instance, new byte[] { 5, (byte)'v', (byte)'v', (byte)'=', (byte)'2', (byte)'!' }, 4500), DnsResourceRecord.Address(host, IPAddress.Loopback, 120)]);

        var lines = MdnsBrowser.DescribeResponse(packet);

        Assert.Equal(
        [
            "PTR _airplay._tcp.local -> Living Room._airplay._tcp.local",
            "SRV Living Room._airplay._tcp.local -> living-room.local:7000",
            "TXT Living Room._airplay._tcp.local -> vv=2!",
            "A   living-room.local -> 127.0.0.1",
        ], lines);
    }

    [Fact]
    public void BuildQuery_AirPlay_IsOnePtrQuestion()
    {
        var query = MdnsBrowser.BuildQuery("_airplay._tcp.local");

        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4)));
        Assert.Equal((byte)8, query[12]);
        Assert.Equal("_airplay", Encoding.ASCII.GetString(query, 13, 8));
        Assert.Equal([0, 0, 12, 0, 1], query[^5..]);
    }
}
