using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Sessions;
using Receiver.Web.Api;
using Receiver.Web.Options;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Viewer;

namespace Receiver.Web.Tests.Admin;

/// <summary>Snapshots run in a small pool, each with a deadline: a hanging decode fails alone.</summary>
public sealed class SnapshotCapTests
{
    [Fact]
    public async Task HangingDecode_TimesOutAlone_WhileAnotherSessionsSnapshotIsServed()
    {
        Require.Ffmpeg();
        var clip = await H264Clip.GetAsync(320, 180, 30, 1, 30);
        await using var live = await LiveSession.StartAsync(clip);
        var other = live.Host.Sessions.Start(new SenderInfo("AA:BB:CC:DD:EE:02", "Ben's iPad", null, null, null, null, "127.0.0.3"), "airplay", IPAddress.Parse("127.0.0.3"));
        await using var otherSender = SyntheticSender.Start(other.Media, other.Clock, clip);
        await Eventually.TrueAsync(() => live.Session.Media.CurrentFormat is not null && other.Media.CurrentFormat is not null);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var hung = new TaskCompletionSource();
        var hangingCancelled = new TaskCompletionSource();
        var options = Microsoft.Extensions.Options.Options.Create(new ReceiverOptions { Limits = { MaxSnapshotProcesses = 2, SnapshotTimeoutSeconds = 5 } });
        using var snapshotter = new SessionSnapshotter(NullLogger<SessionSnapshotter>.Instance, time, options)
        {
            Encoder = async (keyframe, cancellationToken) =>
            {
                if (!hung.Task.IsCompleted)
                {
                    // The first decode hangs until its deadline stops it (as a killed ffmpeg would).
                    hung.SetResult();
                    using var registration = cancellationToken.Register(() => hangingCancelled.TrySetResult());
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                return [0xFF, 0xD8, 0xFF, 0xD9];
            },
        };

        var hanging = snapshotter.GetJpegAsync(live.Session, CancellationToken.None);
        await hung.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var served = await snapshotter.GetJpegAsync(other, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([0xFF, 0xD8, 0xFF, 0xD9], served);
        Assert.False(hanging.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<TimeoutException>(() => hanging.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(hangingCancelled.Task.IsCompleted, "the hanging decode was told to stop");
        Assert.Equal(1, snapshotter.TimedOut);
    }

    [Fact]
    public async Task DecodeOverItsMemoryLimit_Answers503NamingTheLimit_AndTheReceiverGoesOn()
    {
        Require.Ffmpeg();
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A 1080p keyframe needs about 168 MiB of data segment to decode; this receiver gives ffmpeg 64 MiB.
        var clip = await H264Clip.GetAsync(1920, 1080, 30, 1, 30);
        await using var live = await LiveSession.StartAsync(clip, "--Receiver:Limits:FfmpegMaxMemoryMiB=64");
        await Eventually.TrueAsync(() => live.Session.Media.CurrentFormat is not null);
        using var http = new HttpClient { BaseAddress = live.Host.WebUrl };

        using var response = await http.GetAsync($"/api/sessions/{live.Session.Id}/snapshot.jpg").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("Snapshot failed", problem, StringComparison.Ordinal);
        Assert.Contains("memory 64 MiB", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/receiver")).StatusCode);
        Assert.Single(live.Host.Sessions.Sessions);
    }
}
