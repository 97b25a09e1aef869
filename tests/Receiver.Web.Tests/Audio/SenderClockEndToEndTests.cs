using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Media;
using Receiver.Web.Recording;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Receiver.Web.Tests.Viewer;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Audio;

/// <summary>
/// Senders whose clocks are not the receiver's, with sound: an iPhone's clock counted from its boot (the simulator's
/// default), the wall clock from 1900, a clock whose NTP seconds wrap at 2³² during the session, one drifting by
/// 200 ppm, and one that never answers timing requests. Each session is watched over the media WebSocket and recorded,
/// and both are checked: tracks that start together, last as long as what was sent and never go back in time, A/V in
/// step, and latency figures that make sense although the sender's clock is days away from the receiver's.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class SenderClockEndToEndTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [FfmpegTheory]
    [InlineData("boot", 8, 2_208_988_800L)]
    [InlineData("wall", 8, 0L)]
    [InlineData("offset:4294967266", 36, 2_208_988_800L)]
    public async Task SenderClock_WithSound_TracksStartTogetherLastAsSentAndNeverGoBack(string clock, int seconds, long mirrorToNtp)
    {
        var run = await MirrorAsync(seconds, options => options with { Clock = clock });
        Assert.True(run.Result.Ok, run.Result.Error);
        output.WriteLine($"sender clock {run.Result.Clock}; receiver: {run.ClockSummary}");
        AssertWebSocketTracks(run, seconds);
        AssertRecording(run, seconds);
        AssertAvInStep(run, 40);
        AssertLatencyPlausible(run);
        Assert.Equal("ntp", run.ClockSource);
        Assert.Equal(mirrorToNtp, run.MirrorToNtpSeconds);
    }

    [FfmpegFact]
    public async Task SenderDriftingBy200Ppm_TwoMinutes_AvStaysWithin40Milliseconds()
    {
        var run = await MirrorAsync(120, options => options with { ClockDriftPpm = 200 });
        Assert.True(run.Result.Ok, run.Result.Error);
        output.WriteLine($"sender clock {run.Result.Clock}; receiver: {run.ClockSummary}");
        AssertWebSocketTracks(run, 120);
        AssertAvInStep(run, 40);
        AssertLatencyPlausible(run);
    }

    [FfmpegFact]
    public async Task SenderThatNeverAnswersTiming_StreamsWithSoundAndLatencyShows()
    {
        var run = await MirrorAsync(8, options => options with { TimingReplies = false });
        Assert.True(run.Result.Ok, run.Result.Error);
        output.WriteLine($"sender clock {run.Result.Clock}, {run.Result.TimingRequestsIgnored} timing requests unanswered; receiver: {run.ClockSummary}");
        Assert.True(run.Result.TimingRequestsIgnored > 0, "the receiver sent no timing request");
        Assert.Equal("arrival", run.ClockSource);
        Assert.Equal(2_208_988_800L, run.MirrorToNtpSeconds);
        AssertWebSocketTracks(run, 8);
        AssertRecording(run, 8);
        AssertAvInStep(run, 40);
        AssertLatencyPlausible(run);
    }

    private void AssertWebSocketTracks(ClockRun run, int seconds)
    {
        Assert.NotEmpty(run.Video);
        Assert.NotEmpty(run.Audio);
        var video = run.Video.Select(h => h.TimestampMicroseconds).ToList();
        var audio = run.Audio.Select(h => h.TimestampMicroseconds).ToList();
        // A viewer that joined after the first picture (a busy machine) first receives the GOP so far, flagged as
        // backlog, and the sound only from its join on: the tracks start together at its first live picture. The sound
        // published at the join may be older than that picture by the transcoder's delay (up to 300 ms on a busy
        // machine), which the player drops; it must never start later than the picture.
        var firstVideo = (run.Video.Where(h => !h.IsBacklog).Select(h => (long?)h.TimestampMicroseconds).FirstOrDefault() ?? video[0]) / 1e6;
        var firstAudio = audio[0] / 1e6;
        var videoSeconds = (video[^1] - video[0]) / 1e6 + (1 / 30.0);
        var audioSeconds = (audio[^1] - audio[0]) / 1e6 + (1024 / 44100.0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"WebSocket: video {video.Count} frames ({run.Video.Count(h => h.IsBacklog)} backlog) from {video[0] / 1e6:F3} s, live from {firstVideo:F3} s, for {videoSeconds:F3} s; audio {audio.Count} frames from {firstAudio:F3} s for {audioSeconds:F3} s"));
        Assert.InRange(firstAudio - firstVideo, -0.3, 0.1);
        Assert.InRange(videoSeconds, seconds - 1, seconds + 1);
        Assert.InRange(audioSeconds, seconds - 1, seconds + 1);
        AssertIncreasing("WebSocket video", video);
        AssertIncreasing("WebSocket audio", audio);
    }

    private void AssertRecording(ClockRun run, int seconds)
    {
        var file = Assert.Single(run.Recordings);
        output.WriteLine($"recording: {file.Describe()}");
        Assert.Equal("h264", file.Video.Codec);
        Assert.Equal("aac", file.Audio.Codec);
        Assert.InRange(file.Audio.Start - file.Video.Start, -0.1, 0.1);
        Assert.InRange(file.Video.Duration, seconds - 1, seconds + 1);
        Assert.InRange(file.Audio.Duration, seconds - 1, seconds + 1);
        Assert.Empty(file.Video.DecodeTimesNotIncreasing);
        Assert.Empty(file.Audio.DecodeTimesNotIncreasing);
    }

    /// <summary>
    /// Each audio frame against the pictures around it: the WebSocket header gives every message its place on the
    /// media timeline and its sender time on the receiver's clock, so timeline − sender time must agree for both kinds.
    /// </summary>
    private void AssertAvInStep(ClockRun run, double limitMs)
    {
        var video = run.Video.Where(h => h.SenderUnixMicroseconds > 0).Select(h => (Sender: h.SenderUnixMicroseconds, Skew: h.TimestampMicroseconds - h.SenderUnixMicroseconds)).ToList();
        var offsets = new List<double>();
        foreach (var audio in run.Audio.Where(h => h.SenderUnixMicroseconds > 0))
        {
            var near = video.Where(v => Math.Abs(v.Sender - audio.SenderUnixMicroseconds) < 500_000).Select(v => v.Skew).Order().ToList();
            if (near.Count > 0)
            {
                offsets.Add((audio.TimestampMicroseconds - audio.SenderUnixMicroseconds - near[near.Count / 2]) / 1000.0);
            }
        }

        Assert.True(offsets.Count > run.Audio.Count / 2, $"{offsets.Count} of {run.Audio.Count} audio frames have pictures around them");
        var worst = offsets.MaxBy(Math.Abs);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"A/V offset over {offsets.Count} audio frames: median {offsets.Order().ElementAt(offsets.Count / 2):F2} ms, worst {worst:F2} ms"));
        Assert.True(Math.Abs(worst) < limitMs, $"A/V offset {worst:F1} ms");
    }

    private void AssertLatencyPlausible(ClockRun run)
    {
        var latencies = run.Video.Where(h => h.SenderUnixMicroseconds > 0 && h.ReceivedAtUnixMicroseconds > 0)
            .Select(h => (h.ReceivedAtUnixMicroseconds - h.SenderUnixMicroseconds) / 1000.0).Order().ToList();
        Assert.True(latencies.Count > run.Video.Count / 2, $"{latencies.Count} of {run.Video.Count} pictures have a sender time");
        var p50 = latencies[latencies.Count / 2];
        var hub = run.HubLatencies.Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"capture → receiver latency p50 {p50:F1} ms, p95 {latencies[latencies.Count * 95 / 100]:F1} ms; session stats {string.Join(", ", hub.Select(l => l.ToString("F1", CultureInfo.InvariantCulture)))} ms"));
        Assert.InRange(p50, 0.001, 1000);
        Assert.NotEmpty(hub);
        Assert.InRange(hub[hub.Count / 2], 0.001, 1000);
    }

    private static void AssertIncreasing(string what, IReadOnlyList<long> times)
    {
        var back = Enumerable.Range(1, times.Count - 1).Where(i => times[i] <= times[i - 1]).ToList();
        Assert.True(back.Count == 0, $"{what}: decode time does not increase at {string.Join(", ", back.Take(5).Select(i => $"#{i} {times[i - 1]} → {times[i]}"))}");
    }

    private static async Task<ClockRun> MirrorAsync(int seconds, Func<SenderOptions, SenderOptions> configure)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 90));
        using var temp = new SenderTempDirectory("clock");
        var (_, clip) = await H264Clip.WriteFilesAsync(temp.Path, 320, 240, seconds + 1);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Recording:Automatic=true");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var options = configure(SenderTestMedia.LiveAudioOptions(host.ControlPort, seconds) with { Video = VideoSourceSpec.ForFile(clip, 30) });
        var sending = new AirPlaySenderSession(options).RunAsync(cts.Token);
        MirroringSession? session = null;
        await Eventually.TrueAsync(() => (session = host.Sessions.Sessions.FirstOrDefault()) is not null || sending.IsCompleted);
        Assert.NotNull(session);

        // The viewer joins before the first picture, so it sees both tracks from their start.
        await using var client = await MediaSocketClient.ConnectAsync(host.WebUrl, session.Id, "mode=mse");
        var run = new ClockRun();
        var polling = PollDetailAsync(http, session.Id, run, cts.Token);
        while (await client.ReceiveAsync(TimeSpan.FromSeconds(20)) is { } message)
        {
            if (message.Header is { } header)
            {
                if (header.Kind == MediaFrameKind.Media)
                {
                    run.Video.Add(header);
                }
                else if (header.Kind == MediaFrameKind.AudioMedia)
                {
                    run.Audio.Add(header);
                }
            }
        }

        run.Result = await sending;
        await polling;

        // The recording ends with the session; every file it wrote is read back.
        await Eventually.TrueAsync(() => http.GetFromJsonAsync<RecordingFile[]>("/api/recordings", Json).Result!.All(f => !f.Active));
        foreach (var file in (await http.GetFromJsonAsync<RecordingFile[]>("/api/recordings", Json, cts.Token))!)
        {
            var path = Path.Combine(temp.Path, file.Name);
            await File.WriteAllBytesAsync(path, await http.GetByteArrayAsync($"/api/recordings/{file.Name}", cts.Token), cts.Token);
            run.Recordings.Add(await RecordedFile.ProbeAsync(path));
        }

        return run;
    }

    /// <summary>Reads the session's detail every half second while it lives: its stats and how it reads the sender's clock.</summary>
    private static async Task PollDetailAsync(HttpClient http, string sessionId, ClockRun run, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var response = await http.GetAsync($"/api/sessions/{sessionId}", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return;
            }

            var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
            if (detail.GetProperty("stats").GetProperty("latencyMs") is { ValueKind: JsonValueKind.Number } latency)
            {
                run.HubLatencies.Add(latency.GetDouble());
            }

            var clock = detail.GetProperty("clock");
            run.ClockSource = clock.GetProperty("source").GetString();
            run.MirrorToNtpSeconds = clock.GetProperty("mirrorToNtpSeconds") is { ValueKind: JsonValueKind.Number } shift ? shift.GetInt64() : null;
            run.ClockSummary = clock.ToString();
            await Task.Delay(500, cancellationToken);
        }
    }

    private sealed class ClockRun
    {
        public List<MediaFrameHeader> Video { get; } = [];

        public List<MediaFrameHeader> Audio { get; } = [];

        public List<double> HubLatencies { get; } = [];

        public List<RecordedFile> Recordings { get; } = [];

        public string? ClockSource { get; set; }

        public long? MirrorToNtpSeconds { get; set; }

        public string ClockSummary { get; set; } = string.Empty;

        public SenderResult Result { get; set; } = null!;
    }
}
