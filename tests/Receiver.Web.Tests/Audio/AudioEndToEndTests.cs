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

    private static async Task<WatchResult> MirrorAndWatchAsync(double loss, SenderAudioCodec? codec = null)
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
        await using var client = await MediaSocketClient.ConnectAsync(host.WebUrl, session.Id, "mode=mse");
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

        watch.Result = await sending;
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
