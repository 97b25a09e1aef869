using System.Buffers.Binary;
using System.Collections.Concurrent;
using Receiver.Core.Audio;
using Receiver.Core.Media;
using Receiver.Core.Rtp;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.WebRtc;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>
/// The Opus ingest with the real ffmpeg: what a browser decodes from each RTP packet must sit at the media time its
/// RTP timestamp says, or the sound plays off the picture by the difference.
/// </summary>
public sealed class OpusRtpEncoderTests(ITestOutputHelper output)
{
    private const int InputRate = 44_100;
    private const int FrameSamples = 1024;
    private const double Threshold = 0.1;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Packets_DecodedSoundSitsAtTheMediaTimeOfItsRtpTimestamp()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var sink = new CapturingSink();
        var settings = new JanusIngestSettings(FfmpegProcess.Locate("ffmpeg") ?? "ffmpeg", null, null, 64_000);
        var pcm = AudioFormat.Pcm16(InputRate, 2, FrameSamples);
        var pacer = new LipSyncPacer(TimeSpan.FromSeconds(2), TimeSpan.Zero);

        // 0.5 s of silence, a 1 kHz tone from a sample inside a frame, then silence again so the encoder hands out the
        // tone's packets; the session's media time starts at 1 s.
        const long firstSample = InputRate;
        const int toneFrom = (InputRate / 2) + 437;
        const int toneTo = toneFrom + (InputRate / 4);
        const int total = InputRate * 3 / 2;
        var signal = new double[total];
        for (var i = toneFrom; i < toneTo; i++)
        {
            signal[i] = 0.5 * Math.Sin(2 * Math.PI * 1000 * (i - toneFrom) / InputRate);
        }

        var onsetIn = Array.FindIndex(signal, x => Math.Abs(x) >= Threshold);
        var expectedUs = (firstSample + onsetIn) * 1_000_000.0 / InputRate;

        await using (var encoder = OpusRtpEncoder.Start(settings, pcm, sink, new RtpPacketizer(JanusStreamingClient.AudioPayloadType, 0x1234), 0, pacer))
        {
            for (var start = 0; start + FrameSamples <= total; start += FrameSamples)
            {
                var data = new byte[FrameSamples * 4];
                for (var i = 0; i < FrameSamples; i++)
                {
                    var value = (short)Math.Round(signal[start + i] * short.MaxValue);
                    BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 4), value);
                    BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan((i * 4) + 2), value);
                }

                Assert.True(encoder.TryWrite(new MediaMessage.AudioSamples(data, 0, firstSample + start, InputRate, (uint)start, 0)));
                await Task.Delay(10, cts.Token);
            }

            // Packets up to 0.25 s after the tone's end are enough.
            var needed = (long)((toneTo + (InputRate / 4)) * 48_000L / InputRate / 960);
            while (sink.Packets.Count < needed)
            {
                await Task.Delay(20, cts.Token);
            }
        }

        // The packets as a browser gets them (no pre-skip: WebRTC decodes every sample of every packet), decoded by ffmpeg.
        var packets = sink.Packets.ToArray();
        var stamps = packets.Select(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4))).ToArray();
        for (var i = 1; i < stamps.Length; i++)
        {
            Assert.Equal(960u, stamps[i] - stamps[i - 1]);
        }

        var decoded = await DecodeAsync(packets, cts.Token);
        var onsetOut = Array.FindIndex(decoded, x => Math.Abs(x) >= Threshold);
        Assert.True(onsetOut >= 0, "the tone is in the decoded sound");
        var packet = onsetOut / 960;
        var heardUs = (stamps[packet] + (onsetOut % 960)) * 1_000_000.0 / OpusTimeline.ClockRate;
        var errorMs = (heardUs - expectedUs) / 1000;
        output.WriteLine($"tone at {expectedUs / 1000:F3} ms of media time; decoded at sample {onsetOut} of packet {packet}, which its timestamp puts at {heardUs / 1000:F3} ms: {errorMs:+0.000;-0.000} ms");
        // The resampler (44.1 → 48 kHz) and the codec's coarse onset leave a fraction of a millisecond; the encoder's
        // lookahead (2.5 ms) is more.
        Assert.InRange(errorMs, -1.0, 1.0);
    }

    private static async Task<double[]> DecodeAsync(IReadOnlyList<byte[]> packets, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("opus-rtp-").FullName;
        try
        {
            // OpusHead (RFC 7845): version 1, 2 channels, pre-skip 0, 48 kHz, gain 0, mapping family 0.
            var head = new byte[19];
            "OpusHead"u8.CopyTo(head);
            head[8] = 1;
            head[9] = 2;
            BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), 48_000);
            var input = Path.Combine(folder, "sound.mka");
            await using (var file = File.Create(input))
            {
                await file.WriteAsync(MatroskaAudioStream.CreateHeader("A_OPUS", head, 48_000, 2), cancellationToken);
                for (var i = 0; i < packets.Count; i++)
                {
                    var payload = packets[i].AsMemory(RtpPacketizer.HeaderLength);
                    var cluster = new byte[MatroskaAudioStream.GetFrameLength(payload.Length)];
                    MatroskaAudioStream.WriteFrame(cluster, (ulong)(i * 20), payload.Span);
                    await file.WriteAsync(cluster, cancellationToken);
                }
            }

            var raw = Path.Combine(folder, "sound.raw");
            var (code, text) = await ExternalTools.RunFfmpegAsync("ffmpeg", ["-v", "error", "-i", input, "-af", "pan=mono|c0=c0", "-f", "s16le", "-ar", "48000", raw]);
            Assert.True(code == 0, text);
            var bytes = await File.ReadAllBytesAsync(raw, cancellationToken);
            var samples = new double[bytes.Length / 2];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2)) / 32768.0;
            }

            return samples;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class CapturingSink : IRtpPacketSink
    {
        public ConcurrentQueue<byte[]> Packets { get; } = new();

        public void Send(ReadOnlySpan<byte> packet) => Packets.Enqueue(packet.ToArray());
    }
}
