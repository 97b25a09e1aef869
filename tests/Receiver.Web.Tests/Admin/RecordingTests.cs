using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Recording;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Admin;

/// <summary>Recording sessions to MP4 through the admin API, with the sender simulator as the phone.</summary>
[Collection(SerialCollection.Name)]
public sealed class RecordingTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [FfmpegFact]
    public async Task Recording_LiveSessionWithSound_OneFileWithBothTracksFromZeroThatDecodes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var host = await ReceiverHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var sending = new AirPlaySenderSession(SenderTestMedia.LiveAudioOptions(host.ControlPort, 6)).RunAsync(cts.Token);
        MirroringSession? session = null;
        await Eventually.TrueAsync(() => (session = host.Sessions.Sessions.FirstOrDefault()) is { CurrentFormat: not null, AudioActive: true } || sending.IsCompleted);
        Assert.NotNull(session);

        var start = await http.PostAsync($"/api/sessions/{session.Id}/recording", null, cts.Token);
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        Assert.Equal($"/api/sessions/{session.Id}/recording", start.Headers.Location?.OriginalString);
        var started = await start.Content.ReadFromJsonAsync<RecordingInfo>(Json, cts.Token);
        Assert.True(started!.Active);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync($"/api/sessions/{session.Id}/recording", null, cts.Token)).StatusCode);

        // Record about two seconds of a live stream (enough frames and sound to measure), then stop.
        await Eventually.TrueAsync(() => http.GetFromJsonAsync<RecordingInfo>($"/api/sessions/{session.Id}/recording", Json).Result!.Seconds >= 2);
        var stop = await http.DeleteAsync($"/api/sessions/{session.Id}/recording", cts.Token);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        var info = (await stop.Content.ReadFromJsonAsync<RecordingInfo>(Json, cts.Token))!;
        output.WriteLine($"{info.Files.Count} file(s), {info.Bytes} bytes, {info.VideoFrames} frames, {info.Seconds} s, {info.Skips} skips");
        Assert.False(info.Active);
        Assert.NotNull(info.StoppedAt);
        Assert.Null(info.Error);
        var name = Assert.Single(info.Files);
        Assert.StartsWith(session.Id + "-", name, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"/api/sessions/{session.Id}/recording", cts.Token)).StatusCode);

        var listed = Assert.Single((await http.GetFromJsonAsync<RecordingFile[]>("/api/recordings", Json, cts.Token))!);
        Assert.Equal(name, listed.Name);
        Assert.Equal(info.Bytes, listed.Bytes);
        Assert.False(listed.Active);

        // The download is the file, and players can seek in it.
        var bytes = await http.GetByteArrayAsync($"/api/recordings/{name}", cts.Token);
        Assert.Equal(info.Bytes, bytes.Length);
        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{name}");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
        var partial = await http.SendAsync(range, cts.Token);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[..100], await partial.Content.ReadAsByteArrayAsync(cts.Token));

        using var temp = new SenderTempDirectory("recording");
        var file = Path.Combine(temp.Path, name);
        await File.WriteAllBytesAsync(file, bytes, cts.Token);
        var streams = await ProbeStreamsAsync(file);
        var video = Assert.Single(streams, s => s.GetProperty("codec_type").GetString() == "video");
        var audio = Assert.Single(streams, s => s.GetProperty("codec_type").GetString() == "audio");
        Assert.Equal("h264", video.GetProperty("codec_name").GetString());
        Assert.Equal("aac", audio.GetProperty("codec_name").GetString());
        Assert.Equal((320, 240, (int)info.VideoFrames), await SenderTestMedia.ProbeAsync(file));
        // The file starts with the session's current GOP (a picture at once); sound joins when recording began, so
        // the sound track starts within that GOP and runs to the end (the sender's sound runs a little ahead of its
        // encoded picture, so it may end a few hundred milliseconds after the last frame). When the recording stops, the
        // sound still in the transcoder (decode to PCM, then AAC-LC: about 60 ms, up to 300 ms on a busy machine, see
        // docs/PERFORMANCE.md "Media path under load") is not in the file, so it may also end that much earlier.
        Assert.Equal(0, Seconds(video, "start_time"), 3);
        var audioStart = Seconds(audio, "start_time");
        Assert.InRange(audioStart, 0, 1.5);
        Assert.InRange(audioStart + Seconds(audio, "duration"), info.Seconds - 0.5, info.Seconds + 1);
        await AssertDecodesAsync(file);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/recordings/{name}", cts.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/recordings/{name}", cts.Token)).StatusCode);
        Assert.True((await sending).Ok);
    }

    [FfmpegFact]
    public async Task Recording_Automatic_RotationOpensASecondFileAtTheNewSize_SessionEndStopsIt()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var host = await ReceiverHost.StartAsync("--Receiver:Recording:Automatic=true");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 3) with
        {
            Video = VideoSourceSpec.ParsePattern("320x240@30") with { RotateAt = 1.5 },
            Audio = false,
        };

        var sending = new AirPlaySenderSession(options).RunAsync(cts.Token);
        MirroringSession? session = null;
        await Eventually.TrueAsync(() => (session = host.Sessions.Sessions.FirstOrDefault()) is not null || sending.IsCompleted);
        var sessionId = session!.Id;
        var result = await sending;
        Assert.True(result.Ok, result.Error);

        RecordingInfo? info = null;
        await Eventually.TrueAsync(() => (info = http.GetFromJsonAsync<RecordingInfo>($"/api/sessions/{sessionId}/recording", Json).Result) is { Active: false });
        output.WriteLine($"{string.Join(", ", info!.Files)}: {info.Bytes} bytes, {info.VideoFrames} frames, {info.Seconds} s");
        Assert.Equal(2, info.Files.Count);
        Assert.Equal($"{info.Files[0][..^4]}-2.mp4", info.Files[1]);
        Assert.Null(info.Error);

        using var temp = new SenderTempDirectory("recording-rotation");
        var sizes = new List<(int Width, int Height)>();
        var frames = 0;
        foreach (var name in info.Files)
        {
            var file = Path.Combine(temp.Path, name);
            await File.WriteAllBytesAsync(file, await http.GetByteArrayAsync($"/api/recordings/{name}", cts.Token), cts.Token);
            var (width, height, count) = await SenderTestMedia.ProbeAsync(file);
            sizes.Add((width, height));
            frames += count;
            await AssertDecodesAsync(file);
        }

        Assert.Equal([(320, 240), (240, 320)], sizes);
        Assert.Equal(info.VideoFrames, frames);
    }

    [FfmpegFact]
    public async Task Recording_FiveSendersAsFastAsPossible_EveryFrameUpToTheTeardownIsRecorded()
    {
        // Fast senders tear down while their last frames still wait in the receiver's socket: the session's end
        // reaches viewers and recorders only after those frames.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("recording-fast");
        var (mp4, _) = await H264Clip.WriteFilesAsync(temp.Path, 640, 360, 4);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Recording:Automatic=true");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var options = new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ForFile(mp4, 30),
            Fast = true,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            AudioFramesFile = SenderTestMedia.AudioFrames,
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => new AirPlaySenderSession(options).RunAsync(cts.Token)));

        Assert.All(results, r => Assert.True(r.Ok, r.Error));
        await Eventually.TrueAsync(() => host.Sessions.Count == 0);
        RecordingFile[] files = [];
        await Eventually.TrueAsync(() => (files = http.GetFromJsonAsync<RecordingFile[]>("/api/recordings", Json).Result!).Length == 5 && files.All(f => !f.Active));
        foreach (var file in files)
        {
            var info = (await http.GetFromJsonAsync<RecordingInfo>($"/api/sessions/{file.Name[..12]}/recording", Json, cts.Token))!;
            output.WriteLine($"{file.Name}: {info.VideoFrames} frames, {info.Skips} skips");
            Assert.Equal(120, info.VideoFrames);
            var path = Path.Combine(temp.Path, file.Name);
            await File.WriteAllBytesAsync(path, await http.GetByteArrayAsync($"/api/recordings/{file.Name}", cts.Token), cts.Token);
            await AssertDecodesAsync(path);
        }
    }

    [Fact]
    public async Task RecordingApi_UnknownSessionsAndFiles_Get404AndNamesAreNeverPaths()
    {
        await using var host = await ReceiverHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/sessions/0123456789ab/recording", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/sessions/0123456789ab/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/sessions/0123456789ab/recording")).StatusCode);
        Assert.Empty((await http.GetFromJsonAsync<RecordingFile[]>("/api/recordings", Json))!);

        // A file next to the recordings folder is never reachable through a name.
        var recordings = host.App.Services.GetRequiredService<RecordingService>().Directory;
        Directory.CreateDirectory(recordings);
        await File.WriteAllTextAsync(Path.Combine(host.DataDirectory, "secret.mp4"), "not yours");
        foreach (var name in (string[])["nope.mp4", "..%2Fsecret.mp4", "%2E%2E%2Fsecret.mp4", "secret.txt", ".hidden.mp4", new string('a', 5000) + ".mp4"])
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/recordings/{name}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"/api/recordings/{name}")).StatusCode);
        }

        Assert.True(File.Exists(Path.Combine(host.DataDirectory, "secret.mp4")));
        Assert.False(RecordingService.IsRecordingName("../secret.mp4"));
        Assert.False(RecordingService.IsRecordingName("a/b.mp4"));
        Assert.True(RecordingService.IsRecordingName("0123456789ab-20261125-213000-2.mp4"));
    }

    [Fact]
    public async Task Recording_FolderCannotBeCreated_500WithTheReason_SessionUnharmed()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Recording:Directory=/dev/null/recordings");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var session = AdminSessions.Start(host, "Anna's iPhone");

        var response = await http.PostAsync($"/api/sessions/{session.Id}/recording", null);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("/dev/null/recordings", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(session.HasEnded);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/sessions/{session.Id}/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/sessions/{session.Id}")).StatusCode);
    }

    private static async Task<List<JsonElement>> ProbeStreamsAsync(string file)
    {
        var (code, text) = await ExternalTools.RunFfmpegAsync("ffprobe", ["-v", "error", "-show_streams", "-of", "json", file]);
        Assert.True(code == 0, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("streams").EnumerateArray().Select(s => s.Clone())];
    }

    /// <summary>Every frame decodes without an error, and no track's decode times go backwards (ffprobe's packet list).</summary>
    private static async Task AssertDecodesAsync(string file)
    {
        var (code, text) = await ExternalTools.RunFfmpegAsync("ffmpeg", ["-v", "error", "-i", file, "-fps_mode", "passthrough", "-enc_time_base:v", "-1", "-f", "null", "-"]);
        Assert.True(code == 0 && text.Trim().Length == 0, text);
        var probed = await RecordedFile.ProbeAsync(file);
        Assert.All(probed.Streams, stream => Assert.True(stream.DecodeTimesNotIncreasing.Count == 0, $"{stream.Type}: decode time does not increase at packet(s) {string.Join(", ", stream.DecodeTimesNotIncreasing.Take(5))}"));
    }

    private static double Seconds(JsonElement stream, string property) =>
        double.Parse(stream.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);
}
