using System.Net;
using System.Net.Sockets;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Core.Plist;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Mirror;

public sealed class MirrorStreamTests : IAsyncLifetime
{
    private ReceiverHost _host = null!;
    private string _dumpDirectory = null!;

    public async Task InitializeAsync()
    {
        _dumpDirectory = Path.Combine(Path.GetTempPath(), "airplay-dump-" + Guid.NewGuid().ToString("N"));
        _host = await ReceiverHost.StartAsync($"--Receiver:Diagnostics:DumpVideoDirectory={_dumpDirectory}");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (Directory.Exists(_dumpDirectory))
        {
            Directory.Delete(_dumpDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task EncryptedStream_ReachesMediaChannel_AndDumpEqualsSource()
    {
        var clip = await H264Clip.CreateAsync(640, 360, 45);
        await using var sender = await TestSessionClient.StartAsync(_host);
        var session = Assert.Single(_host.Sessions.Sessions);
        using var viewer = session.Media.Subscribe();
        using var cipher = await sender.SetupVideoAsync(0xF00DFACE12345678UL);
        await using (var mirror = await sender.ConnectMirrorAsync())
        {
            var codec = AvcConfiguration.Create(clip.Sps, clip.Pps).ToArray();
            var timestamp = 1UL << 32;
            await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.CodecData, codec, timestamp));
            for (var i = 0; i < clip.Frames.Count; i++)
            {
                await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Video, clip.Avcc(i), timestamp + (ulong)i * 143165577UL, cipher));
                if (i % 10 == 0)
                {
                    await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Heartbeat, [], 0));
                }
            }

            await Eventually.TrueAsync(() => session.FramesReceived == clip.Frames.Count);
        }

        var format = Assert.IsType<MediaMessage.FormatChanged>(await viewer.Reader.ReadAsync());
        Assert.Equal(640, format.Format.Width);
        Assert.Equal(360, format.Format.Height);
        var fragments = 0;
        while (viewer.Reader.TryRead(out var message))
        {
            fragments += message is MediaMessage.Fragment ? 1 : 0;
        }

        Assert.Equal(clip.Frames.Count, fragments);

        Assert.Equal(200, (await sender.SendAsync("TEARDOWN", "rtsp://127.0.0.1/1")).Status);
        var dump = Assert.Single(Directory.GetFiles(_dumpDirectory, "*.h264"));
        var dumped = AnnexB.SplitNalUnits(await File.ReadAllBytesAsync(dump)).Select(n => Convert.ToHexString(n.Span)).ToArray();
        var source = AnnexB.SplitNalUnits(clip.AnnexBBytes).Select(n => Convert.ToHexString(n.Span)).Where(n => !n.StartsWith("09", StringComparison.Ordinal)).ToArray();
        var sourceWithoutRepeats = source.Where((n, i) => i < 2 || (!n.StartsWith("67", StringComparison.Ordinal) && !n.StartsWith("68", StringComparison.Ordinal))).ToArray();
        Assert.Equal(sourceWithoutRepeats.Where(n => !n.StartsWith("06", StringComparison.Ordinal)), dumped.Where(n => !n.StartsWith("06", StringComparison.Ordinal)));

        var (exit, output) = await ExternalTools.RunFfmpegAsync("ffprobe",
            ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0", dump]);
        Assert.Equal(0, exit);
        Assert.Equal($"640,360,{clip.Frames.Count}", output.Trim());
    }

    [Fact]
    public async Task TwoSessionsFromOneAddress_DataConnectionsInReverseOrder_EachReachesItsOwnSession()
    {
        var clip = await H264Clip.CreateAsync(320, 240, 10);
        await using var first = await TestSessionClient.StartAsync(_host, "First");
        await using var second = await TestSessionClient.StartAsync(_host, "Second", "gen-03");
        using var firstCipher = await first.SetupVideoAsync(1);
        using var secondCipher = await second.SetupVideoAsync(2);
        var codec = AvcConfiguration.Create(clip.Sps, clip.Pps).ToArray();

        await using var secondMirror = await second.ConnectMirrorAsync();
        await using var firstMirror = await first.ConnectMirrorAsync();
        await firstMirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.CodecData, codec, 1));
        await secondMirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.CodecData, codec, 1));
        for (var i = 0; i < clip.Frames.Count; i++)
        {
            await secondMirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Video, clip.Avcc(i), (ulong)i + 2, secondCipher));
            if (i < 4)
            {
                await firstMirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Video, clip.Avcc(i), (ulong)i + 2, firstCipher));
            }
        }

        var sessions = _host.Sessions.Sessions.ToDictionary(s => s.Sender.Name!);
        await Eventually.TrueAsync(() => sessions["First"].FramesReceived == 4 && sessions["Second"].FramesReceived == clip.Frames.Count);
    }

    [Fact]
    public async Task HugePayloadAnnouncement_ClosesMirrorConnection_SessionSurvives()
    {
        await using var sender = await TestSessionClient.StartAsync(_host);
        using var cipher = await sender.SetupVideoAsync();
        await using var mirror = await sender.ConnectMirrorAsync();
        var header = new byte[MirrorPacketHeader.Size];
        new MirrorPacketHeader { PayloadSize = 2u * 1024 * 1024 * 1024, PayloadType = MirrorPayloadType.Video }.WriteTo(header);

        await mirror.WriteAsync(header);

        Assert.True(await ClosedAsync(mirror));
        Assert.Equal(1, _host.Sessions.Count);
        Assert.Equal(200, (await sender.SendAsync("POST", "/feedback")).Status);
    }

    [Fact]
    public async Task VideoBeforeCodecData_ClosesMirrorConnection()
    {
        await using var sender = await TestSessionClient.StartAsync(_host);
        using var cipher = await sender.SetupVideoAsync();
        await using var mirror = await sender.ConnectMirrorAsync();

        await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Video, new byte[] { 0, 0, 0, 2, 0x65, 0x88 }, 1, cipher));

        Assert.True(await ClosedAsync(mirror));
        Assert.Equal(1, _host.Sessions.Count);
    }

    [Fact]
    public async Task TruncatedPacket_ThenClose_LeavesSessionAndReceiverHealthy()
    {
        await using var sender = await TestSessionClient.StartAsync(_host);
        using var cipher = await sender.SetupVideoAsync();
        var mirror = await sender.ConnectMirrorAsync();
        var packet = TestSessionClient.Packet(MirrorPayloadType.CodecData, new byte[300], 1);

        await mirror.WriteAsync(packet.AsMemory(0, 200));
        await mirror.DisposeAsync();

        await using var other = await TestSessionClient.StartAsync(_host, "Other Phone", "gen-05");
        Assert.Equal(2, _host.Sessions.Count);
        Assert.Equal(200, (await sender.SendAsync("POST", "/feedback")).Status);
    }

    [Fact]
    public async Task MalformedCodecData_ClosesMirrorConnection()
    {
        await using var sender = await TestSessionClient.StartAsync(_host);
        using var cipher = await sender.SetupVideoAsync();
        await using var mirror = await sender.ConnectMirrorAsync();

        await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.CodecData, new byte[] { 1, 0x64, 0, 0x1F, 0xFF, 0xE1, 0x7F, 0xFF, 1 }, 1));

        Assert.True(await ClosedAsync(mirror));
    }

    [Fact]
    public async Task DataConnectionFromUnknownAddress_IsRefused()
    {
        await using var sender = await TestSessionClient.StartAsync(_host);
        using var cipher = await sender.SetupVideoAsync();

        await using var stranger = await sender.ConnectMirrorAsync(IPAddress.Parse("127.0.0.2"));
        await stranger.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Heartbeat, [], 0));
        Assert.True(await ClosedAsync(stranger));

        await using var unexpected = await sender.ConnectMirrorAsync();
        await unexpected.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Heartbeat, [], 0));
        await Eventually.TrueAsync(() => !_host.Sessions.IsExpectingMirrorConnection(IPAddress.Loopback));
        await using var second = await sender.ConnectMirrorAsync();
        await second.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Heartbeat, [], 0));
        Assert.True(await ClosedAsync(second), "a second data connection without a second SETUP must be refused");
    }

    [Fact]
    public async Task SessionCount_ReturnsToZero_AfterEveryKindOfEnd()
    {
        var a = await TestSessionClient.StartAsync(_host, "A");
        var b = await TestSessionClient.StartAsync(_host, "B", "gen-01");
        await using var c = await TestSessionClient.StartAsync(_host, "C", "gen-02");
        using var cipher = await b.SetupVideoAsync();
        var mirror = await b.ConnectMirrorAsync();
        await mirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Heartbeat, [], 0));
        await Eventually.TrueAsync(() => !_host.Sessions.IsExpectingMirrorConnection(IPAddress.Loopback));
        Assert.Equal(3, _host.Sessions.Count);

        await a.DisposeAsync();
        await b.DisposeAsync();
        Assert.Equal(200, (await c.SendAsync("TEARDOWN", "rtsp://127.0.0.1/1")).Status);

        await Eventually.TrueAsync(() => _host.Sessions.Count == 0);
        Assert.True(await ClosedAsync(mirror), "the mirror connection of a disconnected session must close");
        await mirror.DisposeAsync();
    }

    private static async Task<bool> ClosedAsync(NetworkStream stream)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                if (await stream.ReadAsync(buffer, cts.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
