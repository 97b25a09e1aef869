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
            output.Add(frame);
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
