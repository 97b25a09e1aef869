using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class H264SequenceParameterSetTests
{
    public static TheoryData<string, int, int, int> Vectors => new()
    {
        { Convert.ToHexString(MediaVectors.Sps1280X720), 1280, 720, 720 },
        { Convert.ToHexString(MediaVectors.Sps1920X1080), 1920, 1080, 1088 },
        { Convert.ToHexString(MediaVectors.Sps640X360), 640, 360, 368 },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Parse_X264Vectors_ReturnsCroppedSize(string hex, int width, int height, int codedHeight)
    {
        var sps = H264SequenceParameterSet.Parse(Convert.FromHexString(hex));

        Assert.Equal((width, height), (sps.Width, sps.Height));
        Assert.Equal(codedHeight, sps.CodedHeight);
        Assert.Equal(66, sps.ProfileIdc);
        Assert.Equal(0xC0, sps.ConstraintFlags);
        Assert.True(sps.FrameMbsOnly);
        Assert.True(sps.VuiParametersPresent);
    }

    [Fact]
    public void FromH264_Vector_BuildsCodecStringAndAvcC()
    {
        var format = MediaVectors.Format720p();

        Assert.Equal("avc1.42C01F", format.CodecString);
        Assert.Equal(VideoCodec.H264, format.Codec);
        var avcC = format.DecoderConfiguration.Span;
        Assert.Equal([1, 0x42, 0xC0, 0x1F, 0xFF, 0xE1], avcC[..6].ToArray());
        Assert.Equal(MediaVectors.Sps1280X720.Length, (avcC[6] << 8) | avcC[7]);
        Assert.Equal(MediaVectors.Sps1280X720, avcC.Slice(8, MediaVectors.Sps1280X720.Length).ToArray());
        var ppsAt = 8 + MediaVectors.Sps1280X720.Length;
        Assert.Equal(1, avcC[ppsAt]);
        Assert.Equal(MediaVectors.Pps, avcC[(ppsAt + 3)..].ToArray());
        Assert.Equal(2, format.ParameterSets.Count);
    }

    [FfmpegTheory]
    [InlineData(1280, 720)]
    [InlineData(720, 1280)]
    [InlineData(1920, 1080)]
    [InlineData(640, 360)]
    [InlineData(854, 480)]
    public void Parse_HighProfileSpsFromLibx264_ReturnsSizeProfileAndRestriction(int width, int height)
    {
        using var dir = new TempDirectory();
        var stream = Ffmpeg.EncodeTestPattern(dir.Path, VideoCodecName.H264, width, height, 1, 30);
        var spsNal = AnnexB.SplitNalUnits(stream).First(n => AnnexB.NalUnitType(n.Span, VideoCodec.H264) == 7);

        var sps = H264SequenceParameterSet.Parse(spsNal.Span);

        Assert.Equal((width, height), (sps.Width, sps.Height));
        Assert.Equal(100, sps.ProfileIdc);
        Assert.Equal(1, sps.ChromaFormatIdc);
        Assert.Equal(8, sps.BitDepthLuma);
        Assert.Equal(0, sps.MaxNumReorderFrames);
        var format = VideoFormat.FromH264([spsNal.ToArray()], [AnnexB.SplitNalUnits(stream).First(n => AnnexB.NalUnitType(n.Span, VideoCodec.H264) == 8).ToArray()]);
        Assert.Matches("^avc1\\.6400[0-9A-F]{2}$", format.CodecString);
        Assert.Equal(0xFD, format.DecoderConfiguration.Span[^4]); // high profile avcC extension: chroma_format 4:2:0
    }

    [Fact]
    public void Parse_EveryTruncation_ThrowsMediaFormatExceptionOrParses()
    {
        foreach (var vector in new[] { MediaVectors.Sps1280X720, MediaVectors.Sps1920X1080, MediaVectors.Sps640X360 })
        {
            for (var length = 0; length < vector.Length - 1; length++)
            {
                Assert.Throws<MediaFormatException>(() => H264SequenceParameterSet.Parse(vector.AsSpan(0, length)));
            }
        }
    }

    [Fact]
    public void Parse_RandomBytes_NeverThrowsAnythingButMediaFormatException()
    {
        var random = new Random(1234);
        var buffer = new byte[40];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            buffer[0] = 0x67;
            var length = random.Next(1, buffer.Length);
            try
            {
                var sps = H264SequenceParameterSet.Parse(buffer.AsSpan(0, length));
                Assert.True(sps.Width > 0 && sps.Height > 0);
            }
            catch (MediaFormatException)
            {
            }
        }
    }

    [Fact]
    public void Parse_BitFlippedVectors_NeverThrowsAnythingButMediaFormatException()
    {
        var vector = MediaVectors.Sps1920X1080;
        for (var bit = 8; bit < vector.Length * 8; bit++)
        {
            var copy = (byte[])vector.Clone();
            copy[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            try
            {
                H264SequenceParameterSet.Parse(copy);
            }
            catch (MediaFormatException)
            {
            }
        }
    }

    [Fact]
    public void Parse_NotAnSps_Throws()
    {
        Assert.Throws<MediaFormatException>(() => H264SequenceParameterSet.Parse(MediaVectors.Pps));
    }
}
