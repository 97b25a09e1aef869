using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Hubs;
using Receiver.Web.Recording;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Recording;

/// <summary>Recordings of a simulated phone that stop at a limit: the file plays, the hub and the API say why, the session goes on.</summary>
[Collection(SerialCollection.Name)]
public sealed class RecordingLimitStreamTests(ITestOutputHelper output)
{
    private const long GiB = 1024L * 1024 * 1024;

    [FfmpegFact]
    public async Task Floor_VolumeFallsToIt_RecordingStopsWithDiskFull_HubAndApiSayWhy_ViewersKeepWatching()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var volume = new FakeVolume(100 * GiB);
        await using var host = await ReceiverHost.StartAsync(s => s.AddSingleton<IVolumeFreeSpace>(volume));
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        await using var hub = await HubClient.ConnectAsync(host.WebUrl);
        var sending = new AirPlaySenderSession(SenderTestMedia.LiveAudioOptions(host.ControlPort, 10)).RunAsync(cts.Token);
        MirroringSession? session = null;
        await Eventually.TrueAsync(() => (session = host.Sessions.Sessions.FirstOrDefault()) is { CurrentFormat: not null } || sending.IsCompleted);
        Assert.NotNull(session);
        await using var viewer = await Viewer.MediaSocketClient.ConnectAsync(host.WebUrl, session.Id);

        Assert.Equal(System.Net.HttpStatusCode.Created, (await http.PostAsync($"/api/sessions/{session.Id}/recording", null, cts.Token)).StatusCode);
        await Eventually.TrueAsync(() => RecordingChecks.GetInfoAsync(http, session.Id).Result!.VideoFrames >= 30);

        // Something else fills the volume to just above the floor.
        var filled = Stopwatch.StartNew();
        volume.Available = GiB + 4096;
        var stopped = await hub.WaitForAsync<RecordingChangedMessage>(nameof(ISessionsClient.RecordingChanged), m => !m.Recording, TimeSpan.FromSeconds(10));
        output.WriteLine($"stopped {filled.ElapsedMilliseconds} ms after the volume reached the floor: {stopped.Bytes} bytes in {string.Join(", ", stopped.Files)}");

        Assert.Equal("disk-full", stopped.Reason);
        var info = (await RecordingChecks.GetInfoAsync(http, session.Id))!;
        Assert.Equal(("disk-full", false, stopped.Bytes), (info.Reason, info.Active, info.Bytes));
        Assert.Contains("Receiver:Recording:MinFreeBytes", info.Error, StringComparison.Ordinal);
        var name = Assert.Single(info.Files);
        var path = Path.Combine(host.App.Services.GetRequiredService<RecordingService>().Directory, name);
        Assert.Equal(info.Bytes, new FileInfo(path).Length);
        await RecordingChecks.AssertPlayableAsync(path, info.VideoFrames);

        // The session goes on: the viewer that watched throughout and a new one still receive pictures.
        var watched = 0;
        while (watched < 15)
        {
            var message = await viewer.ReceiveAsync();
            Assert.NotNull(message);
            watched += message.Header is { Kind: Web.Media.MediaFrameKind.Media } ? 1 : 0;
        }

        await RecordingChecks.AssertStreamsToAViewerAsync(host.WebUrl, session.Id, 15);
        Assert.False(session.HasEnded);
        var result = await sending;
        Assert.True(result.Ok, result.Error);
    }

    [FfmpegFact]
    public async Task MaxBytes_AutomaticRecordingStopsBelowTheLimit_WithinOneFragment_FileIsPlayable()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("recording-max-bytes");
        var (mp4, _) = await H264Clip.WriteFilesAsync(temp.Path, 640, 360, 4);
        var largestFrame = await LargestPacketAsync(mp4);
        var maxBytes = new FileInfo(mp4).Length / 2;
        await using var host = await ReceiverHost.StartAsync(s => s.AddSingleton<IVolumeFreeSpace>(new FakeVolume(100 * GiB)),
            "--Receiver:Recording:Automatic=true", $"--Receiver:Recording:MaxBytes={maxBytes}");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        await using var hub = await HubClient.ConnectAsync(host.WebUrl);
        var options = new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ForFile(mp4, 30),
            FairPlayFile = SenderTestMedia.FairPlayFile,
            AudioFramesFile = SenderTestMedia.AudioFrames,
        };

        var result = await new AirPlaySenderSession(options).RunAsync(cts.Token);
        Assert.True(result.Ok, result.Error);

        var stopped = await hub.WaitForAsync<RecordingChangedMessage>(nameof(ISessionsClient.RecordingChanged), m => !m.Recording, TimeSpan.FromSeconds(30));
        var info = (await RecordingChecks.GetInfoAsync(http, stopped.SessionId))!;
        var name = Assert.Single(info.Files);
        var path = Path.Combine(host.App.Services.GetRequiredService<RecordingService>().Directory, name);
        var size = new FileInfo(path).Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MaxBytes {maxBytes}, file {size} bytes ({100.0 * size / maxBytes:F1} % of the limit), {info.VideoFrames} frames, {info.Seconds} s; largest frame of the clip {largestFrame} bytes"));

        Assert.Equal(("max-bytes", "max-bytes", maxBytes), (stopped.Reason, info.Reason, info.MaxBytes));
        Assert.Equal(info.Bytes, size);
        Assert.InRange(size, maxBytes - largestFrame - 1024, maxBytes);
        await RecordingChecks.AssertPlayableAsync(path, info.VideoFrames);
    }

    private static async Task<long> LargestPacketAsync(string file)
    {
        var (code, text) = await ExternalTools.RunFfmpegAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=size", "-of", "csv=p=0", file]);
        Assert.True(code == 0, text);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => long.Parse(line, CultureInfo.InvariantCulture)).Max();
    }
}
