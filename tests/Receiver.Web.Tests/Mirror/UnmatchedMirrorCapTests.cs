using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Mirror;

/// <summary>
/// A data connection from an address with several streams waiting is held until its first video packet tells which
/// it is; what it may send before that is capped (<c>Receiver:Limits:MaxUnmatchedMirrorBytes</c>).
/// </summary>
public sealed class UnmatchedMirrorCapTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task UnmatchedConnectionSendingMoreThanTheCap_IsClosed_AndTheStreamsStillConnect()
    {
        const int Cap = 64 * 1024;
        var clip = await H264Clip.CreateAsync(320, 240, 4);
        await using var host = await ReceiverHost.StartAsync($"--Receiver:Limits:MaxUnmatchedMirrorBytes={Cap}");
        await using var first = await TestSessionClient.StartAsync(host, "First");
        await using var second = await TestSessionClient.StartAsync(host, "Second", "gen-03");
        using var firstCipher = await first.SetupVideoAsync(1);
        using var secondCipher = await second.SetupVideoAsync(2);

        // Packets that are not video, 20 KiB each: the fourth passes the cap before any video tells the stream apart.
        await using (var hostile = await first.ConnectMirrorAsync())
        {
            var filler = new byte[20 * 1024];
            var closed = false;
            try
            {
                for (var i = 0; i < 8; i++)
                {
                    await hostile.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Heartbeat, filler, (ulong)i));
                }

                using var wait = new CancellationTokenSource(Patience);
                closed = await hostile.ReadAsync(new byte[1], wait.Token) == 0;
            }
            catch (IOException)
            {
                closed = true;
            }

            Assert.True(closed, "the connection is closed once it passes the cap");
        }

        // Nothing was claimed: both senders' own data connections still reach their sessions.
        Assert.Equal(2, host.Sessions.PendingFrom(System.Net.IPAddress.Loopback).Count);
        var codec = AvcConfiguration.Create(clip.Sps, clip.Pps).ToArray();
        await using var firstMirror = await first.ConnectMirrorAsync();
        await using var secondMirror = await second.ConnectMirrorAsync();
        await firstMirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.CodecData, codec, 1));
        await secondMirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.CodecData, codec, 1));
        for (var i = 0; i < clip.Frames.Count; i++)
        {
            await firstMirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Video, clip.Avcc(i), (ulong)i + 2, firstCipher));
            await secondMirror.WriteAsync(TestSessionClient.Packet(MirrorPayloadType.Video, clip.Avcc(i), (ulong)i + 2, secondCipher));
        }

        var sessions = host.Sessions.Sessions.ToDictionary(s => s.Sender.Name!);
        await Eventually.TrueAsync(() => sessions["First"].FramesReceived == clip.Frames.Count && sessions["Second"].FramesReceived == clip.Frames.Count, Patience);
    }
}
