using System.Buffers.Binary;
using System.Text.Json;
using Receiver.Core.Sessions;
using Receiver.Sender.Audio;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Media;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Receiver.Web.Tests.Viewer;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Audio;

/// <summary>The sender simulator with audio → receiver host → media WebSocket: the audio track as a viewer receives it.</summary>
[Collection(SerialCollection.Name)]
public sealed class AudioEndToEndTests(ITestOutputHelper output)
{
    [FfmpegFact]
    public async Task Mirror_WithAudio_ViewerReceivesDecodableAudioInSyncWithVideo()
    {
        var run = await MirrorAndWatchAsync(loss: 0);
        Assert.True(run.Result.Ok, run.Result.Error);
        AssertAudioTrack(run);
    }

    [FfmpegFact]
    public async Task Mirror_WithTwoPercentLoss_ResendsRequestedAndAudioKeepsPlaying()
    {
        var run = await MirrorAndWatchAsync(loss: 0.02);
        Assert.True(run.Result.Ok, run.Result.Error);
        output.WriteLine($"resend requests {run.Result.AudioResendRequests}, retransmitted {run.Result.AudioRetransmits}");
        Assert.True(run.Result.AudioResendRequests > 0, "no resend requests");
        Assert.True(run.Result.AudioRetransmits > 0, "nothing retransmitted");
        AssertAudioTrack(run);
    }

    [FfmpegFact]
    public Task Mirror_WithAlacTone_ViewerHearsOneKilohertz() => AssertToneAsync(SenderAudioCodec.Alac);

    [FfmpegFact]
    public Task Mirror_WithAacLcTone_ViewerHearsOneKilohertz() => AssertToneAsync(SenderAudioCodec.Aac);

    private async Task AssertToneAsync(SenderAudioCodec codec)
    {
        var run = await MirrorAndWatchAsync(loss: 0, codec);
        Assert.True(run.Result.Ok, run.Result.Error);
        // The tone's amplitude is 1/8 of full scale (4096).
        var pcm = AssertAudioTrack(run, minimumPeak: 2000);

        // Skip the first 0.2 s (encoder start-up), then measure 0.1 s windows through the stream.
        var left = DominantFrequency.LeftChannel(pcm);
        var window = 4410;
        var frequencies = new List<double>();
        for (var start = 8820; start + window <= left.Length; start += 5 * window)
        {
            frequencies.Add(DominantFrequency.Estimate(left.AsSpan(start, window), 44100));
        }

        output.WriteLine($"{codec.Name}: dominant frequencies {string.Join(", ", frequencies.Select(f => f.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} Hz");
        Assert.True(frequencies.Count >= 4, $"{frequencies.Count} windows");
        Assert.All(frequencies, f => Assert.InRange(f, 980, 1020));
    }

    [FfmpegFact]
    public async Task Mirror_WithAudio_WebCodecsViewerReceivesPcmOnTheTimelineOfTheAacTrack()
    {
        // One session, watched at once by an MSE viewer (AAC-LC) and a WebCodecs viewer (PCM, the default for it).
        var runs = await MirrorAndWatchAsync(0, null, "mode=mse", "mode=webcodecs");
        var (aac, pcm) = (runs[0], runs[1]);
        Assert.Equal("mp4a.40.2", aac.AudioFormat!.CodecString);
        Assert.NotNull(pcm.AudioFormat);
        Assert.Equal("pcm", pcm.AudioFormat!.Codec);
        Assert.Equal("pcm-s16", pcm.AudioFormat.CodecString);
        Assert.Equal(44100, pcm.AudioFormat.SampleRate);
        Assert.Equal(2, pcm.AudioFormat.Channels);
        Assert.Equal(string.Empty, pcm.AudioFormat.Description);
        Assert.Null(pcm.AudioInit);

        // The sender's own frames: 480 samples × 2 channels × 2 bytes, 10.884 ms apart, none missing.
        Assert.True(pcm.Audio.Count > 180, $"{pcm.Audio.Count} PCM frames");
        Assert.All(pcm.Audio, a => Assert.Equal(480 * 4, a.Payload.Length));
        for (var i = 1; i < pcm.Audio.Count; i++)
        {
            var step = pcm.Audio[i].Header.TimestampMicroseconds - pcm.Audio[i - 1].Header.TimestampMicroseconds;
            Assert.InRange(step, 10_883 - 2, 10_884 + 2);
        }

        // It is sound, not silence, and it is the sound the AAC track carries: both tracks place the same sender
        // instant at the same media time (timestamp − sender time agrees to within a sample or two).
        var peak = pcm.Audio.SelectMany(a => Enumerable.Range(0, a.Payload.Length / 2).Select(i => Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(a.Payload.AsSpan(i * 2))))).Max();
        Assert.True(peak > 5000, $"peak {peak}");
        var pcmOffset = Median(pcm.Audio.Select(a => a.Header.TimestampMicroseconds - a.Header.SenderUnixMicroseconds));
        var aacOffset = Median(aac.Audio.Where(a => a.Header.TimestampMicroseconds > 0).Select(a => a.Header.TimestampMicroseconds - a.Header.SenderUnixMicroseconds));
        var videoOffset = Median(pcm.Video.Select(v => v.Header.TimestampMicroseconds - v.Header.SenderUnixMicroseconds));
        Assert.InRange(pcmOffset - aacOffset, -100, 100);
        Assert.InRange((pcmOffset - videoOffset) / 1000.0, -40, 40);

        // The PCM skips the AAC encoder: from the packet's arrival to the viewer it is the faster of the two.
        var pcmLatency = Median(pcm.Audio.Where(a => a.Header.ReceivedAtUnixMicroseconds > 0).Select(a => a.Header.SentAtUnixMicroseconds - a.Header.ReceivedAtUnixMicroseconds));
        var aacLatency = Median(aac.Audio.Where(a => a.Header.ReceivedAtUnixMicroseconds > 0).Select(a => a.Header.SentAtUnixMicroseconds - a.Header.ReceivedAtUnixMicroseconds));
        output.WriteLine($"{pcm.Audio.Count} PCM frames, {aac.Audio.Count} AAC frames; packet→viewer median PCM {pcmLatency / 1000.0:F1} ms, AAC {aacLatency / 1000.0:F1} ms; PCM − AAC timeline {pcmOffset - aacOffset} µs, PCM − video {(pcmOffset - videoOffset) / 1000.0:F2} ms");
        Assert.True(pcmLatency < aacLatency, $"PCM {pcmLatency} µs, AAC {aacLatency} µs");
    }

    private byte[] AssertAudioTrack(WatchResult run, int minimumPeak = 5000)
    {
        Assert.NotNull(run.AudioFormat);
        Assert.Equal("mp4a.40.2", run.AudioFormat!.CodecString);
        Assert.NotNull(run.AudioInit);

        // Continuous audio: consecutive frames, 1024 samples apart. Audio captured before the first video frame
        // (the simulator's video encoder can start late on a busy machine) is pinned to the start of the
        // timeline; the check starts after it.
        var audio = run.Audio;
        Assert.True(audio.Count > 80, $"{audio.Count} audio frames");
        var pinned = audio.TakeWhile((a, i) => i + 1 < audio.Count && audio[i + 1].Header.TimestampMicroseconds == 0).Count();
        var timed = audio.Skip(pinned).ToList();
        Assert.True(timed.Count > 60, $"{timed.Count} audio frames on the video's timeline ({pinned} before it)");
        var gaps = 0;
        for (var i = pinned + 1; i < audio.Count; i++)
        {
            var step = audio[i].Header.TimestampMicroseconds - audio[i - 1].Header.TimestampMicroseconds;
            if (Math.Abs(step - 23220) > 100)
            {
                gaps++;
                output.WriteLine($"audio frame {i}: step {step} µs");
            }
        }

        Assert.Equal(0, gaps);

        // The received fMP4 decodes without errors, to as many samples as frames were sent (±1 frame), not silence.
        var mp4 = new MemoryStream();
        mp4.Write(run.AudioInit);
        foreach (var fragment in audio)
        {
            mp4.Write(fragment.Payload);
        }

        var pcm = FfmpegPipe.DecodeToPcm(mp4.ToArray(), "mp4");
        var samples = pcm.Length / 4;
        Assert.InRange(samples, (audio.Count - 1) * 1024, (audio.Count + 1) * 1024);
        var peak = 0;
        for (var i = 0; i < pcm.Length; i += 2)
        {
            peak = Math.Max(peak, Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i))));
        }

        Assert.True(peak > minimumPeak, $"peak {peak}");

        // A/V offset: both tracks place the sender clock on the same media timeline.
        output.WriteLine($"{pinned} audio frames before the first video frame");
        var audioOffset = Median(timed.Select(a => a.Header.TimestampMicroseconds - (a.Header.SenderUnixMicroseconds)));
        var videoOffset = Median(run.Video.Select(v => v.Header.TimestampMicroseconds - (v.Header.SenderUnixMicroseconds)));
        var offsetMs = (audioOffset - videoOffset) / 1000.0;
        var worstMs = timed.Max(a => Math.Abs(a.Header.TimestampMicroseconds - (a.Header.SenderUnixMicroseconds) - videoOffset)) / 1000.0;
        var latency = audio.Where(a => a.Header.ReceivedAtUnixMicroseconds > 0).Select(a => (a.Header.SentAtUnixMicroseconds - a.Header.ReceivedAtUnixMicroseconds) / 1000.0).Order().ToArray();
        output.WriteLine($"{audio.Count} audio frames, {run.Video.Count} video frames, {samples} samples decoded, A/V offset {offsetMs:F2} ms (worst audio frame {worstMs:F2} ms), packet→viewer latency median {latency[latency.Length / 2]:F1} ms");
        Assert.True(Math.Abs(offsetMs) < 40, $"A/V offset {offsetMs} ms");
        Assert.True(worstMs < 40, $"an audio frame is {worstMs} ms off the video's timeline");
        return pcm;
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static async Task<WatchResult> MirrorAndWatchAsync(double loss, SenderAudioCodec? codec = null) =>
        (await MirrorAndWatchAsync(loss, codec, "mode=mse"))[0];

    /// <summary>Mirrors for 3 s with sound and watches the session with one media WebSocket per query, all at once.</summary>
    private static async Task<WatchResult[]> MirrorAndWatchAsync(double loss, SenderAudioCodec? codec, params string[] queries)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var host = await ReceiverHost.StartAsync();
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 3) with { AudioLoss = loss, AudioCodec = codec ?? SenderAudioCodec.Eld };
        var sending = new AirPlaySenderSession(options).RunAsync(cts.Token);
        MirroringSession? session = null;
        while (session is null && !sending.IsCompleted)
        {
            session = host.Sessions.Sessions.FirstOrDefault();
            await Task.Delay(10, cts.Token);
        }

        Assert.NotNull(session);
        var watches = await Task.WhenAll(queries.Select(async query =>
        {
            await using var client = await MediaSocketClient.ConnectAsync(host.WebUrl, session.Id, query);
            return await WatchAsync(client);
        }));
        var result = await sending;
        foreach (var watch in watches)
        {
            watch.Result = result;
        }

        return watches;
    }

    private static async Task<WatchResult> WatchAsync(MediaSocketClient client)
    {
        var watch = new WatchResult();
        while (await client.ReceiveAsync(TimeSpan.FromSeconds(20)) is { } message)
        {
            if (message.Text is { } text)
            {
                if (JsonDocument.Parse(text).RootElement.GetProperty("type").GetString() == "audioFormat")
                {
                    watch.AudioFormat = AudioFormatMessage.Parse(text);
                }

                continue;
            }

            var header = message.Header!.Value;
            var payload = message.Bytes[MediaFrameHeader.Length..];
            switch (header.Kind)
            {
                case MediaFrameKind.AudioInitSegment:
                    watch.AudioInit = payload;
                    break;
                case MediaFrameKind.AudioMedia:
                    watch.Audio.Add((header, payload));
                    break;
                case MediaFrameKind.Media:
                    watch.Video.Add((header, payload));
                    break;
            }
        }

        return watch;
    }

    private sealed class WatchResult
    {
        public AudioFormatMessage? AudioFormat { get; set; }

        public byte[]? AudioInit { get; set; }

        public List<(MediaFrameHeader Header, byte[] Payload)> Audio { get; } = [];

        public List<(MediaFrameHeader Header, byte[] Payload)> Video { get; } = [];

        public SenderResult Result { get; set; } = null!;
    }
}
