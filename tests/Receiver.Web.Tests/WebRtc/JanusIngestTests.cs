using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Media;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.WebRtc;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>A session's ingest into a real Janus, fed directly through the session's media channel.</summary>
public sealed class JanusIngestTests(ITestOutputHelper output)
{
    [JanusFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task StalledOpusEncoder_DoesNotStopVideoRtp()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var janus = await JanusProcess.StartAsync(cts.Token);
        await using var host = await ReceiverHost.StartAsync();
        var clip = await H264Clip.CreateAsync(320, 240, 60);
        var session = AdminSessions.Start(host, "Stalled encoder");

        // An "encoder" that never reads its input: its pipe fills after a few frames of sound and stays full.
        var stalled = Path.Combine(Directory.CreateTempSubdirectory("stalled-opus-").FullName, "ffmpeg");
        await File.WriteAllTextAsync(stalled, "#!/bin/sh\nexec sleep 120\n", cts.Token);
        File.SetUnixFileMode(stalled, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var http = new HttpClient();
        var client = new JanusStreamingClient(http, janus.ApiUrl, TimeSpan.FromSeconds(5));
        var settings = new JanusIngestSettings(stalled, null, null, 64_000);
        await using var ingest = new JanusIngest(session, client, System.Net.IPAddress.Loopback, settings, NullLogger.Instance);

        var pcm = AudioFormat.Pcm16(44_100, 2, 1024);
        session.Media.Publish(AudioFormat.AacLc44100Stereo, pcm);
        clip.BeginVideo(host, session);
        // 4 s of picture (30 fps) and sound (1024-sample frames at 44.1 kHz, 4 KiB each), at their pace.
        var samples = 0L;
        long packetsAfter2s = 0;
        for (var frame = 0; frame < 120; frame++)
        {
            clip.Publish(session, frame, 1);
            while (samples * 30 < (frame + 1) * 44_100L)
            {
                session.Media.PublishPcm(new AudioAccessUnit(new byte[1024 * 4], samples * 1_000_000_000 / 44_100));
                samples += 1024;
            }

            if (frame == 60)
            {
                packetsAfter2s = ingest.VideoPackets;
            }

            await Task.Delay(33, cts.Token);
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (ingest.VideoPackets <= packetsAfter2s && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cts.Token);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"video packets after 2 s {packetsAfter2s}, after 4 s {ingest.VideoPackets}; audio packets {ingest.AudioPackets}; mountpoint {ingest.Mountpoint?.Id}"));
        Assert.NotNull(ingest.Mountpoint);
        Assert.True(packetsAfter2s > 0, "video RTP before the encoder's pipe filled");
        Assert.True(ingest.VideoPackets > packetsAfter2s + 30, $"video RTP goes on while the Opus encoder is stalled ({packetsAfter2s} → {ingest.VideoPackets})");
        Assert.Equal(0, ingest.AudioPackets);
    }
}
