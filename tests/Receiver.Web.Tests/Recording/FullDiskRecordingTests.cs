using System.Globalization;
using System.Net;
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

/// <summary>
/// Recording onto a real, small filesystem (a 3 MiB tmpfs, most of it taken by another file) until it is full, with
/// a simulated phone (boot clock) mirroring: the recording stops with its reason, its file is cut back to its last
/// whole fragment and plays, the hub and the API say why, and the session goes on streaming to viewers.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FullDiskRecordingTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    [TmpfsFact]
    public async Task FullFilesystem_NoFloor_WriteFailsWithEnospc_RecordingStopsDiskFull_FilePlays_SessionStreamsOn()
    {
        await using var volume = await TmpfsMount.MountAsync("3m");
        var (available, info, path) = await RecordUntilStoppedAsync(volume, minFreeBytes: 0, fillerBytes: 3 * MiB / 2);

        // The write itself failed: the error is the system's, not the floor's.
        Assert.Contains("No space left on device", info.Error, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(available, 0, 256 * 1024);
        Assert.True(File.Exists(path));
    }

    [TmpfsFact]
    public async Task SmallFilesystem_FloorOfOneMiB_RecordingStopsDiskFullBeforeTheFloor_TheVolumeKeepsIt()
    {
        await using var volume = await TmpfsMount.MountAsync("3m");
        var (available, info, _) = await RecordUntilStoppedAsync(volume, minFreeBytes: MiB, fillerBytes: MiB / 2);

        // The platform's free space (statvfs) stopped it before a write could cross the floor.
        Assert.Contains("Receiver:Recording:MinFreeBytes", info.Error, StringComparison.Ordinal);
        Assert.InRange(available, MiB - 8192, 2 * MiB);
    }

    /// <summary>
    /// Fills <paramref name="fillerBytes"/> of the volume with another file, mirrors a live pattern, records it until
    /// the recording stops by itself, and checks what both full-volume cases share. Returns the volume's free bytes
    /// after the stop, the recording and its file.
    /// </summary>
    private async Task<(long Available, RecordingInfo Info, string Path)> RecordUntilStoppedAsync(TmpfsMount volume, long minFreeBytes, long fillerBytes)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await File.WriteAllBytesAsync(Path.Combine(volume.Path, "other-files.bin"), new byte[fillerBytes], cts.Token);
        await using var host = await ReceiverHost.StartAsync($"--Receiver:Recording:Directory={volume.Path}", $"--Receiver:Recording:MinFreeBytes={minFreeBytes}");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        await using var hub = await HubClient.ConnectAsync(host.WebUrl);
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 30) with { Video = VideoSourceSpec.ParsePattern("640x360@30") };
        Assert.Equal("boot", options.Clock);
        var sending = new AirPlaySenderSession(options).RunAsync(cts.Token);
        MirroringSession? session = null;
        await Eventually.TrueAsync(() => (session = host.Sessions.Sessions.FirstOrDefault()) is { CurrentFormat: not null } || sending.IsCompleted);
        Assert.NotNull(session);

        var start = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync($"/api/sessions/{session.Id}/recording", null, cts.Token)).StatusCode);
        var stopped = await hub.WaitForAsync<RecordingChangedMessage>(nameof(ISessionsClient.RecordingChanged), m => !m.Recording, TimeSpan.FromSeconds(60));
        var info = (await RecordingChecks.GetInfoAsync(http, session.Id))!;
        var available = new DriveInfo(volume.Path).AvailableFreeSpace;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stopped after {(DateTime.UtcNow - start).TotalSeconds:F1} s: {stopped.Reason}, {info.Bytes} bytes, {info.VideoFrames} frames in {string.Join(", ", info.Files)}; {available} bytes left on the volume; error: {info.Error}"));

        Assert.Equal(("disk-full", "disk-full", false), (stopped.Reason, info.Reason, info.Active));
        Assert.Equal(info.Bytes, stopped.Bytes);
        var name = Assert.Single(info.Files);
        var path = Path.Combine(volume.Path, name);
        Assert.Equal(info.Bytes, new FileInfo(path).Length);
        Assert.True(info.VideoFrames >= 30, $"{info.VideoFrames} frames recorded");
        await RecordingChecks.AssertPlayableAsync(path, info.VideoFrames);

        // Nothing else is harmed: the session streams on, a new viewer watches it, the receiver answers, and a new
        // recording on the full volume is refused with the reason rather than started.
        Assert.False(session.HasEnded);
        await RecordingChecks.AssertStreamsToAViewerAsync(host.WebUrl, session.Id, 15);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", cts.Token)).StatusCode);
        var again = await http.PostAsync($"/api/sessions/{session.Id}/recording", null, cts.Token);
        Assert.Equal(HttpStatusCode.InsufficientStorage, again.StatusCode);
        Assert.False(session.HasEnded);
        await cts.CancelAsync();
        await Task.WhenAny(sending);
        return (available, info, path);
    }
}
