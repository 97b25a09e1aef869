using Receiver.Web.Tests.Infrastructure;
using Receiver.Core.Audio;
using Receiver.Sender.Audio;
using Receiver.Web.Tests.Sender;

namespace Receiver.Web.Tests.Audio;

/// <summary>The simulator's ALAC and AAC-LC frames: their bit layout and that ffmpeg decodes them as the receiver configures it.</summary>
[Collection(SerialCollection.Name)]
public sealed class ToneFramesTests
{
    [Fact]
    public void Write_FullStereoFrame_StartsWithCpeHeaderAndEndsWithEndTag()
    {
        var samples = new short[352 * 2];
        samples[0] = 0x1234;
        samples[1] = -2;

        var frame = AlacVerbatimFrame.Write(samples, channels: 2, frameLength: 352);

        Assert.Equal(AlacVerbatimFrame.GetLength(352, 2, hasSize: false), frame.Length);
        Assert.Equal(0x20, frame[0]);

        // 23 header bits (CPE, tag 0, 12 unused, no size, no extra bits, not compressed), then 0x1234 and 0xFFFE.
        Assert.Equal(new byte[] { 0x20, 0x00, 0x02, 0x24, 0x69, 0xFF, 0xFC }, frame[..7]);

        // The END element (111) follows the last sample, at bit 23 + 352·2·16.
        var endBit = 23 + (352 * 2 * 16);
        Assert.Equal(0b111, Bit(frame, endBit) << 2 | Bit(frame, endBit + 1) << 1 | Bit(frame, endBit + 2));
        Assert.Equal((endBit + 3 + 7) / 8, frame.Length);
    }

    [Fact]
    public void Write_ShortFrame_CarriesItsSampleCount()
    {
        var frame = AlacVerbatimFrame.Write(new short[10 * 2], channels: 2, frameLength: 352);

        Assert.Equal(AlacVerbatimFrame.GetLength(10, 2, hasSize: true), frame.Length);
        Assert.Equal(0x20, frame[0]);
        Assert.Equal(0x00, frame[1]);
        Assert.Equal(0x12, frame[2] & 0x1F);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public void Write_UnsupportedChannels_Throws(int channels) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AlacVerbatimFrame.Write(new short[12], channels, 352));

    [Fact]
    public void Write_MoreSamplesThanFrameLength_Throws() =>
        Assert.Throws<ArgumentException>(() => AlacVerbatimFrame.Write(new short[353 * 2], 2, 352));

    [Theory]
    [InlineData("eld", 8, 480)]
    [InlineData("ALAC", 2, 352)]
    [InlineData("aac", 4, 1024)]
    public void Parse_KnownName_ReturnsSetupValues(string name, int compressionType, int samplesPerFrame)
    {
        var codec = SenderAudioCodec.Parse(name);

        Assert.Equal(compressionType, codec.CompressionType);
        Assert.Equal(samplesPerFrame, codec.SamplesPerFrame);
    }

    [Fact]
    public void Parse_UnknownName_Throws() => Assert.Throws<ArgumentException>(() => SenderAudioCodec.Parse("opus"));

    [FfmpegFact]
    public void Create_Alac_DecodesLosslesslyWithTheReceiversCookie()
    {
        var frames = ToneFrames.Create(SenderAudioCodec.Alac);
        Assert.Equal(441, frames.Count);
        Assert.All(frames, f => Assert.Equal(0x20, f[0]));

        var pcm = FfmpegPipe.DecodeToPcm(Mux(AudioInputFormat.Alac, frames), "matroska");
        var reference = FfmpegPipe.Run([], "-v", "error", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=44100:duration=3.52", "-ac", "2", "-f", "s16le", "pipe:1").Stdout;
        Assert.Equal(441 * 352 * 4, pcm.Length);
        Assert.Equal(reference[..pcm.Length], pcm);
    }

    [FfmpegFact]
    public void Create_AlacBeeps_SoundsFiftyMillisecondsEveryQuarterOfTheLoop()
    {
        var frames = ToneFrames.Create(SenderAudioCodec.Alac, beeps: true);
        Assert.Equal(441, frames.Count);
        Assert.Equal(4, ToneFrames.BeepsPerLoop(SenderAudioCodec.Alac));

        var pcm = FfmpegPipe.DecodeToPcm(Mux(AudioInputFormat.Alac, frames), "matroska");
        var left = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(pcm).ToArray().Where((_, i) => i % 2 == 0).ToArray();
        Assert.Equal(441 * 352, left.Length);

        // Each quarter of the 155,232-sample loop (38,808 samples, 0.88 s) starts with 50 ms (2,205 samples) of tone (half
        // scale in mono, −3 dB in each of the two channels: 11,585), and is silent after it.
        for (var beep = 0; beep < 4; beep++)
        {
            var start = beep * 38_808;
            Assert.InRange(left.Skip(start).Take(2205).Max(v => Math.Abs((int)v)), 11_500, 11_700);
            Assert.All(left.Skip(start + 2205).Take(38_808 - 2205), v => Assert.Equal(0, v));
        }
    }

    [FfmpegFact]
    public void Create_Aac_FramesDecodeWithTheAirPlayConfig()
    {
        var frames = ToneFrames.Create(SenderAudioCodec.Aac);
        Assert.InRange(frames.Count, 441, 443);

        var pcm = FfmpegPipe.DecodeToPcm(Mux(AudioInputFormat.AacLc, frames), "matroska");
        Assert.InRange(pcm.Length / 4, (frames.Count - 1) * 1024, frames.Count * 1024);
    }

    private static int Bit(byte[] data, int index) => (data[index / 8] >> (7 - (index % 8))) & 1;

    private static byte[] Mux(AudioInputFormat format, IReadOnlyList<byte[]> frames)
    {
        using var output = new MemoryStream();
        output.Write(MatroskaAudioStream.CreateHeader(format.MatroskaCodecId, format.CodecPrivate.Span, format.SampleRate, format.Channels));
        for (var i = 0; i < frames.Count; i++)
        {
            var cluster = new byte[MatroskaAudioStream.GetFrameLength(frames[i].Length)];
            MatroskaAudioStream.WriteFrame(cluster, (ulong)(i * (long)format.SamplesPerFrame * 1000 / format.SampleRate), frames[i]);
            output.Write(cluster);
        }

        return output.ToArray();
    }
}
