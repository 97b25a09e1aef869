using System.Net;
using System.Security.Cryptography;
using Receiver.Core.Audio;
using Receiver.Core.Media;
using Receiver.Core.Tests.Media;
using Xunit.Abstractions;

namespace Receiver.Core.Tests.Audio;

[Collection(RealTimeCollection.Name)]
[Lane(TestLanes.RealTime)]
public sealed class AudioStreamEndpointTests(ITestOutputHelper output)
{
    [FfmpegFact]
    public async Task Stream_RedundantEncryptedPackets_PublishesTheSentSoundOnTheSenderClock()
    {
        var dropsBefore = KernelUdpDrops();
        var result = await RunAsync(lossRate: 0, answerResends: true);
        var drops = KernelUdpDrops() - dropsBefore;
        output.WriteLine($"resend requests {result.Endpoint.ResendRequestsSent}, concealed {result.Endpoint.PacketsConcealed}, datagrams the kernel dropped meanwhile {drops}");

        // Nothing is lost on the way: a packet the receiver has to conceal can only be one the kernel dropped from a full
        // socket buffer (a machine so busy that the receive loop fell behind a burst) and whose resend came too late.
        // A busy machine can also hold a datagram back long enough that the receiver asks for it again.
        Assert.InRange(result.Endpoint.PacketsConcealed, 0, drops);
        Assert.InRange(result.Endpoint.ResendRequestsSent, 0, 3 + drops);
        Assert.Equal(result.Frames.Count, result.Endpoint.PacketsReceived + result.Endpoint.PacketsConcealed);
        Assert.True(result.Endpoint.DuplicatesDropped >= result.Frames.Count, "redundant copies were dropped");
        AssertPublishedStream(result);
    }

    [FfmpegFact]
    public async Task Stream_TwoPercentLoss_ResendRequestsRecoverThePackets()
    {
        var result = await RunAsync(lossRate: 0.02, answerResends: true);
        output.WriteLine($"resend requests {result.Endpoint.ResendRequestsSent}, packets requested {result.Endpoint.PacketsRequested}, retransmits {result.Endpoint.RetransmitsReceived}, concealed {result.Endpoint.PacketsConcealed}");
        Assert.True(result.Endpoint.ResendRequestsSent > 0);
        Assert.Equal(result.Endpoint.ResendRequestsSent, result.Sender.ResendRequests);
        Assert.True(result.Endpoint.RetransmitsReceived > 0);
        AssertPublishedStream(result);
    }

    [FfmpegFact]
    public async Task Stream_LossWithoutResends_ConcealedAndKeepsPlaying()
    {
        var result = await RunAsync(lossRate: 0.05, answerResends: false);
        output.WriteLine($"concealed {result.Endpoint.PacketsConcealed}, requested {result.Endpoint.PacketsRequested}");
        Assert.True(result.Endpoint.PacketsConcealed > 0);
        var fragments = result.Fragments;
        Assert.InRange(fragments.Count, 128, 132);
        for (var i = 1; i < fragments.Count; i++)
        {
            Assert.Equal(fragments[i - 1].DecodeTime + 1024, fragments[i].DecodeTime);
        }

        FfmpegPipe.DecodeToPcm(Mux(fragments), "mp4");
    }

    private void AssertPublishedStream(RunResult result)
    {
        var fragments = result.Fragments;
        var latency = result.Endpoint.TranscoderLatency;
        output.WriteLine($"{fragments.Count} AAC-LC frames; transcoder latency mean {latency.MeanMs:F1} ms, median {latency.MedianMs:F1}, p95 {latency.P95Ms:F1}, max {latency.MaxMs:F1}");

        // Every frame's sender time follows its place in the stream: RTP → sender clock through the sync packets.
        var worst = 0.0;
        for (var i = 0; i < fragments.Count; i++)
        {
            var expectedNs = result.Sender.StartNs + ((((i * 1024L) - AudioTranscoder.EncoderDelaySamples) * 1_000_000_000L) / 44100);
            worst = Math.Max(worst, Math.Abs(fragments[i].SenderTimestampNs - expectedNs) / 1e6);
            if (i > 0)
            {
                Assert.Equal(fragments[i - 1].DecodeTime + 1024, fragments[i].DecodeTime);
            }
        }

        output.WriteLine($"largest sender-time error {worst:F3} ms");
        Assert.True(worst < 1, $"sender time off by {worst} ms");

        // Duration: all input samples, within one frame, after the encoder's priming frame.
        var pcm = FfmpegPipe.DecodeToPcm(Mux(fragments), "mp4");
        var decoded = ToneAnalysis.LeftChannel(pcm);
        var sent = result.Frames.Count * 480;
        Assert.InRange(decoded.Length - AudioTranscoder.EncoderDelaySamples, sent - 1024, sent + 1024);
        var reference = ToneAnalysis.LeftChannel(FfmpegPipe.DecodeToPcm(File.ReadAllBytes(AudioVectors.Path(AudioVectors.StandIn + ".m4a")), "mov"));
        AudioTranscoderTests.AssertSamePitch(reference, decoded[AudioTranscoder.EncoderDelaySamples..]);
        Assert.True(latency.Count > 100);
    }

    /// <summary>Datagrams the kernel dropped because a UDP socket's buffer was full (IPv4 and IPv6, all sockets).</summary>
    private static long KernelUdpDrops()
    {
        long drops = 0;
        var snmp = File.Exists("/proc/net/snmp") ? File.ReadAllLines("/proc/net/snmp") : [];
        for (var i = 0; i + 1 < snmp.Length; i++)
        {
            if (snmp[i].StartsWith("Udp: ", StringComparison.Ordinal) && snmp[i + 1].StartsWith("Udp: ", StringComparison.Ordinal))
            {
                var names = snmp[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var values = snmp[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                drops += long.Parse(values[Array.IndexOf(names, "RcvbufErrors")], System.Globalization.CultureInfo.InvariantCulture);
                break;
            }
        }

        foreach (var line in File.Exists("/proc/net/snmp6") ? File.ReadAllLines("/proc/net/snmp6") : [])
        {
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["Udp6RcvbufErrors", var value])
            {
                drops += long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return drops;
    }

    private static byte[] Mux(List<MediaMessage.AudioFragment> fragments)
    {
        var mp4 = new MemoryStream();
        mp4.Write(Fmp4AudioMuxer.CreateInitSegment(AudioFormat.AacLc44100Stereo));
        foreach (var fragment in fragments)
        {
            mp4.Write(fragment.Data.Span);
        }

        return mp4.ToArray();
    }

    private static async Task<RunResult> RunAsync(double lossRate, bool answerResends)
    {
        var frames = AudioVectors.LoadFrames();
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        using var sender = new LoopbackAudioSender(key, iv);
        var media = new MediaChannel();
        using var viewer = media.Subscribe();
        var endpoint = AudioStreamEndpoint.Open(IPAddress.Loopback, new AudioStreamParameters(8, 480, sender.ControlPort, key, iv), media, null);
        try
        {
            Assert.True(endpoint.IsTranscoding);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await sender.SendAsync(frames, new IPEndPoint(IPAddress.Loopback, endpoint.DataPort), new IPEndPoint(IPAddress.Loopback, endpoint.ControlPort), lossRate, answerResends, timeout.Token);
            await endpoint.DrainAsync(timeout.Token);
            await sender.StopAnsweringAsync(endpoint.ResendRequestsSent);
            var fragments = new List<MediaMessage.AudioFragment>();
            var formats = 0;
            while (viewer.Reader.TryRead(out var message))
            {
                if (message is MediaMessage.AudioFragment fragment)
                {
                    fragments.Add(fragment);
                }
                else if (message is MediaMessage.AudioFormatChanged)
                {
                    formats++;
                }
            }

            Assert.Equal(1, formats);
            return new RunResult(frames, fragments, endpoint, sender);
        }
        finally
        {
            endpoint.Dispose();
        }
    }

    private sealed record RunResult(IReadOnlyList<byte[]> Frames, List<MediaMessage.AudioFragment> Fragments, AudioStreamEndpoint Endpoint, LoopbackAudioSender Sender);
}
