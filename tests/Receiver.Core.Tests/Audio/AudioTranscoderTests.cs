using System.Security.Cryptography;
using Receiver.Core.Audio;
using Receiver.Core.Media;
using Receiver.Core.Tests.Media;

namespace Receiver.Core.Tests.Audio;

public sealed class AudioTranscoderTests
{
    [FfmpegFact]
    public void WriteFrame_AacEldStandIn_FfmpegDecodesBitExact()
    {
        var frames = AudioVectors.LoadFrames();
        using var stream = new MemoryStream();
        stream.Write(MatroskaAudioStream.CreateHeader("A_AAC", AudioInputFormat.AacEld.CodecPrivate.Span, 44100, 2));
        var buffer = new byte[4096];
        for (var i = 0; i < frames.Count; i++)
        {
            var length = MatroskaAudioStream.WriteFrame(buffer, (ulong)(i * 480 * 1000 / 44100), frames[i]);
            Assert.Equal(MatroskaAudioStream.GetFrameLength(frames[i].Length), length);
            stream.Write(buffer, 0, length);
        }

        var pcm = FfmpegPipe.DecodeToPcm(stream.ToArray(), "matroska");
        Assert.Equal(frames.Count * 480 * 4, pcm.Length);
        Assert.Equal(AudioVectors.StandInFullDecodeMd5, Convert.ToHexStringLower(MD5.HashData(pcm)));
    }

    [FfmpegFact]
    public async Task Write_AacEldFrames_AacLcFramesCoverTheInput()
    {
        var frames = AudioVectors.LoadFrames();
        using var transcoder = AudioTranscoder.Start(AudioInputFormat.AacEld);
        foreach (var frame in frames)
        {
            Assert.True(transcoder.Write(frame));
        }

        transcoder.CompleteInput();
        var output = new List<byte[]>();
        await foreach (var frame in transcoder.Output.ReadAllAsync())
        {
            output.Add(frame.Data);
        }

        // Priming frame + ceil(input samples / 1024).
        var expected = 1 + (int)Math.Ceiling(frames.Count * 480 / 1024.0);
        Assert.InRange(output.Count, expected - 1, expected + 1);

        // The frames are valid AAC-LC: an fMP4 of them decodes without errors to the same pitch track.
        var mp4 = new MemoryStream();
        mp4.Write(Fmp4AudioMuxer.CreateInitSegment(AudioFormat.AacLc44100Stereo));
        var muxer = new Fmp4AudioMuxer();
        for (var i = 0; i < output.Count; i++)
        {
            mp4.Write(muxer.CreateFragment(output[i], i * 1024L, 1024));
        }

        var decoded = ToneAnalysis.LeftChannel(FfmpegPipe.DecodeToPcm(mp4.ToArray(), "mp4"));
        Assert.InRange(decoded.Length, (output.Count * 1024) - 1024, output.Count * 1024);
        var reference = ToneAnalysis.LeftChannel(FfmpegPipe.DecodeToPcm(File.ReadAllBytes(AudioVectors.Path(AudioVectors.StandIn + ".m4a")), "mov"));
        AssertSamePitch(reference, decoded[AudioTranscoder.EncoderDelaySamples..]);
    }

    [FfmpegFact]
    public async Task Write_AacEldFrames_PcmFramesOfTheSenderFrameSizeAreTheFullDecode()
    {
        var frames = AudioVectors.LoadFrames();
        using var transcoder = AudioTranscoder.Start(AudioInputFormat.AacEld);
        Assert.Equal(AudioFormat.Pcm16(44100, 2, 480), transcoder.PcmFormat);
        var aac = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var frame in transcoder.Output.ReadAllAsync())
            {
                count++;
            }

            return count;
        });
        foreach (var frame in frames)
        {
            Assert.True(transcoder.Write(frame));
        }

        transcoder.CompleteInput();
        var pcm = new MemoryStream();
        var index = 0;
        await foreach (var frame in transcoder.PcmOutput.ReadAllAsync())
        {
            // One PCM frame per input frame, 480 samples × 2 channels × 2 bytes, numbered by its first input sample.
            Assert.Equal(480 * 4, frame.Data.Length);
            Assert.Equal(index * 480L, frame.StartSample);
            index++;
            pcm.Write(frame.Data);
        }

        Assert.Equal(frames.Count, index);
        Assert.Equal(AudioVectors.StandInFullDecodeMd5, Convert.ToHexStringLower(MD5.HashData(pcm.ToArray())));

        // The same PCM was encoded once more for MSE: priming frame + ceil(input samples / 1024) AAC-LC frames.
        var expected = 1 + (int)Math.Ceiling(frames.Count * 480 / 1024.0);
        Assert.InRange(await aac, expected - 1, expected + 1);
    }

    [FfmpegFact]
    public async Task Write_OneFrameAtATime_EachPcmFrameLeavesBeforeTheNextIsWritten()
    {
        // Nothing waits for a buffer to fill: every pipe is flushed per frame, so a frame's PCM is out while the
        // stream is still open (the AAC encoder, by contrast, needs 1,024 samples of look-ahead).
        var frames = AudioVectors.LoadFrames();
        using var transcoder = AudioTranscoder.Start(AudioInputFormat.AacEld);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(transcoder.Write(frames[i]));
            var frame = await transcoder.PcmOutput.ReadAsync(timeout.Token);
            Assert.Equal(i * 480L, frame.StartSample);
        }
    }

    internal static void AssertSamePitch(double[] reference, double[] actual)
    {
        const int Window = 4410;
        var expected = ToneAnalysis.DominantFrequencies(reference, 44100, Window);
        var measured = ToneAnalysis.DominantFrequencies(actual, 44100, Window);
        var windows = Math.Min(expected.Length, measured.Length);
        Assert.True(windows >= expected.Length - 1, $"{measured.Length} windows of output, {expected.Length} expected");
        var matching = Enumerable.Range(0, windows).Count(i => Math.Abs(expected[i] - measured[i]) <= 15);
        Assert.True(matching >= windows - 2, $"pitch differs: expected [{string.Join(", ", expected)}], got [{string.Join(", ", measured)}]");
    }
}
