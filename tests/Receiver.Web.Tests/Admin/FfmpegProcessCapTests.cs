using System.Net;
using Receiver.Core.Media;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Admin;

/// <summary>
/// However many snapshots are asked for, the receiver runs at most two ffmpeg processes per session's sound plus the
/// snapshot pool (<c>Receiver:Limits:MaxSnapshotProcesses</c>).
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FfmpegProcessCapTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Senders = 3;
    private const int PerSession = 2;
    private const int SnapshotPool = 2;

    private readonly SenderTempDirectory _temp = new("ffmpeg-cap");
    private string _clip = string.Empty;

    public async Task InitializeAsync() => (_, _clip) = await H264Clip.WriteFilesAsync(_temp.Path, 320, 180, 8);

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SessionsWithSoundAndManySnapshots_NeverRunMoreFfmpegThanSessionsTimesTwoPlusThePool()
    {
        Require.Ffmpeg();
        await using var host = await ReceiverHost.StartAsync($"--Receiver:Limits:MaxSnapshotProcesses={SnapshotPool}");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var cap = (Senders * PerSession) + SnapshotPool;
        var before = FfmpegProcess.Running;
        var (maxRunning, maxChildren) = (0, 0);
        var sampling = true;
        var sampler = Task.Run(async () =>
        {
            while (Volatile.Read(ref sampling))
            {
                maxRunning = Math.Max(maxRunning, FfmpegProcess.Running - before);
                maxChildren = Math.Max(maxChildren, ProcessResources.FfmpegChildren());
                await Task.Delay(5);
            }
        });

        var senders = Enumerable.Range(0, Senders).Select(i => new AirPlaySenderSession(new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ForFile(_clip, 30),
            Audio = true,
            AudioFramesFile = SenderTestMedia.AudioFrames,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            Name = $"Phone {i}",
            DeviceId = $"AA:BB:CC:00:01:0{i}",
            StepTimeout = TimeSpan.FromSeconds(30),
        }).RunAsync(stop.Token)).ToArray();
        await Eventually.TrueAsync(() => host.Sessions.Sessions.Count(s => s.AudioActive && s.Media.CurrentFormat is not null) == Senders, TimeSpan.FromSeconds(30));

        // Four clients per session ask for pictures as fast as they are answered, while the senders stream.
        var served = 0;
        var pollers = host.Sessions.Sessions.SelectMany(s => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!senders.All(t => t.IsCompleted))
            {
                using var response = await http.GetAsync($"/api/sessions/{s.Id}/snapshot.jpg", stop.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref served);
                }
            }
        }))).ToArray();
        var results = await Task.WhenAll(senders);
        await Task.WhenAll(pollers);
        Volatile.Write(ref sampling, false);
        await sampler;
        output.WriteLine($"ffmpeg at most {maxRunning} (FfmpegProcess.Running), {maxChildren} child processes; cap {cap}; {served} snapshots served");

        Assert.All(results, r => Assert.True(r.Ok, r.Error));
        Assert.InRange(maxRunning, Senders * PerSession, cap);
        Assert.InRange(maxChildren, Senders * PerSession, cap);
        Assert.True(served >= Senders, $"{served} snapshots served");
    }
}
