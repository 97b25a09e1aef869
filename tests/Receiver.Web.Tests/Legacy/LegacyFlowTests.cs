using System.Net;
using System.Net.Sockets;
using System.Text;
using Receiver.Core.Crypto;
using Receiver.Core.Legacy;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Core.Plist;
using Receiver.Core.Sessions;
using Receiver.Core.Timing;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Legacy;

/// <summary>The port-7100 HTTP flow of older iOS versions: stream.xml, fp-setup, POST /stream, then packets on the same socket.</summary>
public sealed class LegacyFlowTests : IAsyncLifetime
{
    private readonly UdpClient _senderTiming = new(new IPEndPoint(IPAddress.Loopback, 0));
    private ReceiverHost _host = null!;
    private string _dumpDirectory = null!;

    public async Task InitializeAsync()
    {
        // Created up front: tests list it while the receiver may not have written its first dump yet.
        _dumpDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "airplay-legacy-" + Guid.NewGuid().ToString("N"))).FullName;
        var timingPort = ((IPEndPoint)_senderTiming.Client.LocalEndPoint!).Port;
        _host = await ReceiverHost.StartAsync(
            $"--Receiver:Diagnostics:DumpVideoDirectory={_dumpDirectory}",
            $"--Receiver:Legacy:SenderTimingPort={timingPort}",
            "--Receiver:Display:Width=1280",
            "--Receiver:Display:Height=720");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _senderTiming.Dispose();
        if (Directory.Exists(_dumpDirectory))
        {
            Directory.Delete(_dumpDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task StreamXml_DescribesTheConfiguredDisplay()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.MirrorPort);

        await client.SendAsync("GET /stream.xml HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        var response = await client.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("HTTP/1.1", response.Protocol);
        Assert.Equal(StreamXml.ContentType, response.Headers["Content-Type"]);
        var xml = Assert.IsType<PlistDict>(XmlPlist.Read(response.Body));
        Assert.Equal(1280, xml.GetInt64("width"));
        Assert.Equal(720, xml.GetInt64("height"));
        Assert.Equal(1.0 / 60, xml.GetReal("refreshRate"), 9);
        Assert.False(xml.GetBoolean("overscanned"));
        Assert.Equal("130.14", xml.GetString("version"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PostStream_ThenPackets_StreamsIntoALegacySession(bool encrypted)
    {
        var clip = await H264Clip.CreateAsync(640, 360, 30);
        var fairPlay = FairPlayVectors.Get("gen-11");
        var iv = Convert.FromHexString("DEAA4E1ED6166C13F21163E71ADD41B9");
        await using var client = await RawRtspClient.ConnectAsync(_host.MirrorPort);
        if (encrypted)
        {
            Assert.Equal(200, (await Http(client, "POST", "/fp-setup", fairPlay.Message1)).Status);
            Assert.Equal(200, (await Http(client, "POST", "/fp-setup", fairPlay.Message3)).Status);
        }

        var request = new LegacyStreamRequest(0xA4D1D2800B68UL, -808788724, "130.16", 90, encrypted ? fairPlay.Ekey : (ReadOnlyMemory<byte>?)null, encrypted ? iv : (ReadOnlyMemory<byte>?)null);
        using var cipher = encrypted ? new AesCtr(fairPlay.AesKey, iv) : null;
        var stream = new MemoryStream();
        stream.Write(PostStreamThenCodecData(request, clip));
        for (var i = 0; i < clip.Frames.Count; i++)
        {
            stream.Write(Packet(MirrorPayloadType.Video, clip.Avcc(i), (57071UL << 32) + (ulong)i * 143165577UL, cipher));
            if (i == 10)
            {
                stream.Write(Packet(MirrorPayloadType.Heartbeat, [], 0, null, option: 0x001E));
            }
        }

        await client.SendAsync(stream.ToArray());

        await Eventually.TrueAsync(() => _host.Sessions.Sessions.FirstOrDefault()?.FramesReceived == clip.Frames.Count);
        var session = Assert.Single(_host.Sessions.Sessions);
        Assert.Equal("legacy", session.Protocol);
        Assert.Equal("A4:D1:D2:80:0B:68", session.Sender.DeviceId);
        Assert.Equal(640, session.CurrentFormat!.Width);

        var timing = await _senderTiming.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(NtpV4Packet.TryReadRequestTransmit(timing.Buffer, out _), "the receiver's timing request is not an NTPv4 client packet");

        await client.DisposeAsync();
        await Eventually.TrueAsync(() => _host.Sessions.Count == 0);
        var dump = Assert.Single(Directory.GetFiles(_dumpDirectory, "*.h264"));
        var (exit, output) = await ExternalTools.RunFfmpegAsync("ffprobe",
            ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0", dump]);
        Assert.Equal(0, exit);
        Assert.Equal($"640,360,{clip.Frames.Count}", output.Trim());
        var dumpedSlices = AnnexB.SplitNalUnits(await File.ReadAllBytesAsync(dump)).Where(n => (n.Span[0] & 0x1F) is 1 or 5).Select(n => Convert.ToHexString(n.Span));
        var sourceSlices = clip.AccessUnits.SelectMany(f => f).Where(n => (n.Span[0] & 0x1F) is 1 or 5).Select(n => Convert.ToHexString(n.Span));
        Assert.Equal(sourceSlices, dumpedSlices);
    }

    [Fact]
    public async Task PostStream_ManyMegabytesThenHalfClose_EveryFrameIsProcessed()
    {
        // More than Kestrel's input buffer, sent with the FIN right behind it: the receiver must drain every byte
        // the sender wrote before the end of the stream, however late its reader runs.
        const int frames = 200;
        var clip = await H264Clip.CreateAsync(640, 360, 1);
        var stream = new MemoryStream();
        stream.Write(PostStreamThenCodecData(new LegacyStreamRequest(0xA4D1D2800B68UL, 77, "130.16", 90, null, null), clip));
        for (var i = 0; i < frames; i++)
        {
            var slice = new byte[4 + 24 * 1024];
            slice[3] = (byte)(slice.Length - 4 & 0xFF);
            slice[2] = (byte)((slice.Length - 4) >> 8);
            slice.AsSpan(4).Fill(0xA5);
            slice[4] = 0x41;
            slice[5] = (byte)i;
            stream.Write(Packet(MirrorPayloadType.Video, slice, (57071UL << 32) + (ulong)i * 143165577UL, null));
        }

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _host.MirrorPort);
        await client.GetStream().WriteAsync(stream.ToArray());
        client.Client.Shutdown(SocketShutdown.Send);

        await Eventually.TrueAsync(() => _host.Sessions.Count == 0 && Directory.GetFiles(_dumpDirectory, "*.h264").Length == 1);
        var dump = Directory.GetFiles(_dumpDirectory, "*.h264")[0];
        var slices = AnnexB.SplitNalUnits(await File.ReadAllBytesAsync(dump)).Where(n => n.Length > 0 && (n.Span[0] & 0x1F) == 1).ToList();
        Assert.Equal(frames, slices.Count);
        Assert.Equal((byte)(frames - 1), slices[^1].Span[1]);
    }

    [Fact]
    public async Task PostStream_FortySendersHalfClosingRightAfterTheirPackets_EveryFrameIsProcessed()
    {
        var clip = await H264Clip.CreateAsync(320, 180, 1);
        var runs = Enumerable.Range(0, 40).Select(async run =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, _host.MirrorPort);
            var stream = client.GetStream();
            await stream.WriteAsync(PostStreamThenCodecData(new LegacyStreamRequest(0xA4D1D2800B00UL + (ulong)run, run, "130.16", 90, null, null), clip));
            for (var i = 0; i < clip.Frames.Count; i++)
            {
                await stream.WriteAsync(Packet(MirrorPayloadType.Video, clip.Avcc(i), (57071UL << 32) + (ulong)i * 143165577UL, null));
            }

            client.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[16];
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        });
        await Task.WhenAll(runs);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_host.Sessions.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "sessions still live after every sender saw its connection closed: "
                + string.Join("; ", _host.Sessions.Sessions.Select(x => $"{x.Id} {x.Sender.DeviceId} frames {x.FramesReceived} format {x.CurrentFormat?.Width} started {x.StartedAt:HH:mm:ss.fff}")));
            await Task.Delay(20);
        }

        var dumps = Directory.GetFiles(_dumpDirectory, "*.h264");
        Assert.Equal(40, dumps.Length);
        foreach (var dump in dumps)
        {
            var slices = AnnexB.SplitNalUnits(await File.ReadAllBytesAsync(dump)).Count(n => n.Length > 0 && (n.Span[0] & 0x1F) is 1 or 5);
            Assert.Equal(clip.AccessUnits.SelectMany(f => f).Count(n => (n.Span[0] & 0x1F) is 1 or 5), slices);
        }
    }

    [Fact]
    public async Task SilentStream_IsClosedAfterTheIdleTimeout_AsATimedOutSession()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:IdleTimeoutSeconds=1");
        using var events = host.Events.Subscribe();
        var clip = await H264Clip.CreateAsync(320, 180, 1);
        await using var client = await RawRtspClient.ConnectAsync(host.MirrorPort);
        await client.SendAsync([
            .. PostStreamThenCodecData(new LegacyStreamRequest(0xA4D1D2800B68UL, 5, "130.16", 90, null, null), clip),
            .. Packet(MirrorPayloadType.Video, clip.Avcc(0), 57071UL << 32, null)]);

        // Nothing more, not even a heartbeat: the receiver gives up after the idle timeout.
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "the receiver kept a silent stream open");
        SessionEndedEvent? ended = null;
        while (ended is null)
        {
            ended = await events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)) as SessionEndedEvent;
        }

        Assert.Equal(SessionEndReason.Timeout, ended.Reason);
        Assert.Equal(0, host.Sessions.Count);
    }

    [Fact]
    public async Task PostStream_WithBadPlist_Gets400AndClose()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.MirrorPort);

        var response = await Http(client, "POST", "/stream", Encoding.ASCII.GetBytes("bplist00 this is not a plist"));

        Assert.Equal(400, response.Status);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, _host.Sessions.Count);
    }

    [Theory]
    [InlineData(71, 16)]
    [InlineData(72, 15)]
    [InlineData(72, 0)]
    public async Task PostStream_WithWrongParamSizes_Gets400AndClose(int param1, int param2)
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.MirrorPort);
        var plist = new PlistDict { ["deviceID"] = 1L, ["sessionID"] = 2L, ["param1"] = new byte[param1] };
        if (param2 > 0)
        {
            plist["param2"] = new byte[param2];
        }

        var response = await Http(client, "POST", "/stream", BinaryPlist.Write(plist));

        Assert.Equal(400, response.Status);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, _host.Sessions.Count);
    }

    [Fact]
    public async Task PostStream_Param1WithoutFairPlaySetup_Gets400()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.MirrorPort);
        var request = new LegacyStreamRequest(1, 2, "130.16", 90, new byte[72], new byte[16]);

        var response = await Http(client, "POST", "/stream", BinaryPlist.Write(request.ToPlist()));

        Assert.Equal(400, response.Status);
        Assert.Equal(0, _host.Sessions.Count);
    }

    [Fact]
    public async Task PostStream_BodyShorterThanAnnounced_ThenClose_StartsNothing()
    {
        var client = await RawRtspClient.ConnectAsync(_host.MirrorPort);
        await client.SendAsync("POST /stream HTTP/1.1\r\nX-Apple-Device-ID: 0x1\r\nContent-Length: 500\r\n\r\nbplist00");
        await client.DisposeAsync();

        await using var other = await RawRtspClient.ConnectAsync(_host.MirrorPort);
        await other.SendAsync("GET /stream.xml HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(200, (await other.ReadResponseAsync()).Status);
        Assert.Equal(0, _host.Sessions.Count);
    }

    [Fact]
    public async Task LegacyRequest_OnAModernSessionsAddress_IsRefused_ModernSessionUnaffected()
    {
        await using var modern = await TestSessionClient.StartAsync(_host);
        using var cipher = await modern.SetupVideoAsync();
        await using var client = await RawRtspClient.ConnectAsync(_host.MirrorPort);
        var request = new LegacyStreamRequest(1, 2, "130.16", 90, (ReadOnlyMemory<byte>?)null, (ReadOnlyMemory<byte>?)null);

        var response = await Http(client, "POST", "/stream", BinaryPlist.Write(request.ToPlist()));

        Assert.Equal(400, response.Status);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        var session = Assert.Single(_host.Sessions.Sessions);
        Assert.Equal("airplay", session.Protocol);
        Assert.True(_host.Sessions.IsExpectingMirrorConnection(IPAddress.Loopback));
    }

    private static async Task<RawResponse> Http(RawRtspClient client, string method, string path, byte[] body)
    {
        await client.SendAsync([.. Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nX-Apple-Device-ID: 0xa4d1d2800b68\r\nContent-Length: {body.Length}\r\n\r\n"), .. body]);
        return await client.ReadResponseAsync();
    }

    /// <summary><c>POST /stream</c> with the request's plist, followed at once by the clip's codec packet.</summary>
    private static byte[] PostStreamThenCodecData(LegacyStreamRequest request, H264Clip clip)
    {
        var body = BinaryPlist.Write(request.ToPlist());
        return [
            .. Encoding.ASCII.GetBytes($"POST /stream HTTP/1.1\r\nX-Apple-Device-ID: 0x{request.DeviceId:x12}\r\nContent-Length: {body.Length}\r\n\r\n"),
            .. body,
            .. Packet(MirrorPayloadType.CodecData, AvcConfiguration.Create(clip.Sps, clip.Pps).ToArray(), 57071UL << 32, null)];
    }

    private static byte[] Packet(MirrorPayloadType type, ReadOnlySpan<byte> payload, ulong timestamp, AesCtr? cipher, ushort option = 0x0006)
    {
        var packet = new byte[MirrorPacketHeader.Size + payload.Length];
        new MirrorPacketHeader { PayloadSize = (uint)payload.Length, PayloadType = type, Option = option, Timestamp = timestamp }.WriteTo(packet);
        if (cipher is not null)
        {
            cipher.Transform(payload, packet.AsSpan(MirrorPacketHeader.Size));
        }
        else
        {
            payload.CopyTo(packet.AsSpan(MirrorPacketHeader.Size));
        }

        return packet;
    }
}
