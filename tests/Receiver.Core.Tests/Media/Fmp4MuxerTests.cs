using System.Buffers;
using System.Buffers.Binary;
using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class Fmp4MuxerTests
{
    private static readonly byte[] Payload = [0, 0, 0, 3, 0x65, 0x88, 0x84];

    [Fact]
    public void CreateInitSegment_H264_WritesBoxesInOrderWithConsistentSizes()
    {
        var init = new Fmp4Muxer().CreateInitSegment(MediaVectors.Format720p());

        var top = Mp4Box.Parse(init);
        Assert.Equal(["ftyp", "moov"], top.Select(b => b.Type));
        Assert.Equal(init.Length, top.Sum(b => b.Size));
        Assert.Equal("iso5"u8.ToArray(), top[0].Body[..4].ToArray());
        Assert.Equal("iso5iso6mp41"u8.ToArray(), top[0].Body[8..].ToArray());

        var moov = top[1];
        Assert.Equal(["mvhd", "trak", "mvex"], moov.Children.Select(b => b.Type));
        Assert.Equal(3u, moov.Child("mvhd").U32(96)); // next_track_ID after the reserved audio id
        var trak = moov.Child("trak");
        Assert.Equal(["tkhd", "mdia"], trak.Children.Select(b => b.Type));
        var tkhd = trak.Child("tkhd");
        Assert.Equal(1u, tkhd.U32(12)); // track_ID
        Assert.Equal(1280u << 16, tkhd.U32(tkhd.Size - 8 - 8));
        Assert.Equal(720u << 16, tkhd.U32(tkhd.Size - 8 - 4));

        var mdia = trak.Child("mdia");
        Assert.Equal(["mdhd", "hdlr", "minf"], mdia.Children.Select(b => b.Type));
        Assert.Equal(90000u, mdia.Child("mdhd").U32(12));
        Assert.Equal("vide"u8.ToArray(), mdia.Child("hdlr").Body[8..12].ToArray());

        var minf = mdia.Child("minf");
        Assert.Equal(["vmhd", "dinf", "stbl"], minf.Children.Select(b => b.Type));
        Assert.Equal("url ", minf.Child("dinf").Child("dref").Children.Single().Type);
        var stbl = minf.Child("stbl");
        Assert.Equal(["stsd", "stts", "stsc", "stsz", "stco"], stbl.Children.Select(b => b.Type));
        var avc1 = stbl.Child("stsd").Children.Single();
        Assert.Equal("avc1", avc1.Type);
        Assert.Equal(1280, BinaryPrimitives.ReadUInt16BigEndian(avc1.Body[24..]));
        Assert.Equal(720, BinaryPrimitives.ReadUInt16BigEndian(avc1.Body[26..]));
        var avcC = avc1.Child("avcC");
        Assert.Equal(MediaVectors.Format720p().DecoderConfiguration.ToArray(), avcC.Body.ToArray());

        var trex = moov.Child("mvex").Child("trex");
        Assert.Equal(1u, trex.U32(4));
        Assert.Equal(1u, trex.U32(8));
    }

    [Fact]
    public void WriteFragment_Keyframe_WritesMoofAndMdatWithTrunFields()
    {
        var muxer = new Fmp4Muxer();
        var writer = new ArrayBufferWriter<byte>();

        var written = muxer.WriteFragment(new VideoAccessUnit(Payload, true, 1000, 42), writer);

        var bytes = writer.WrittenSpan.ToArray();
        Assert.Equal(bytes.Length, written);
        var boxes = Mp4Box.Parse(bytes);
        Assert.Equal(["moof", "mdat"], boxes.Select(b => b.Type));
        Assert.Equal(Fmp4Muxer.MoofLength, boxes[0].Size);
        Assert.Equal(Payload, boxes[1].Body.ToArray());

        var moof = boxes[0];
        Assert.Equal(["mfhd", "traf"], moof.Children.Select(b => b.Type));
        Assert.Equal(1u, moof.Child("mfhd").U32(4));
        var traf = moof.Child("traf");
        Assert.Equal(["tfhd", "tfdt", "trun"], traf.Children.Select(b => b.Type));
        Assert.Equal(0x00020000u, traf.Child("tfhd").U32(0));
        Assert.Equal(1u, traf.Child("tfhd").U32(4));
        Assert.Equal(0x01000000u, traf.Child("tfdt").U32(0));
        Assert.Equal(0ul, traf.Child("tfdt").U64(4));

        var trun = traf.Child("trun");
        Assert.Equal(0x00000F01u, trun.U32(0));
        Assert.Equal(1u, trun.U32(4)); // sample_count
        Assert.Equal((uint)(boxes[0].Size + 8), trun.U32(8)); // data_offset: first payload byte from moof start
        Assert.Equal(1500u, trun.U32(12)); // duration of the first fragment
        Assert.Equal((uint)Payload.Length, trun.U32(16));
        Assert.Equal(0x02000000u, trun.U32(20));
        Assert.Equal(0u, trun.U32(24));
    }

    [Fact]
    public void WriteFragment_Sequence_NumbersIncreaseAndNonSyncFlagsSet()
    {
        var muxer = new Fmp4Muxer();
        muxer.CreateFragment(new VideoAccessUnit(Payload, true, 0, 0));
        var second = Mp4Box.Parse(muxer.CreateFragment(new VideoAccessUnit(Payload, false, 3000, 0)));

        Assert.Equal(2u, second[0].Child("mfhd").U32(4));
        var trun = second[0].Child("traf").Child("trun");
        Assert.Equal(0x01010000u, trun.U32(20));
        Assert.Equal(3000u, trun.U32(12));
        Assert.Equal(3000ul, second[0].Child("traf").Child("tfdt").U64(4)); // within twice the previous duration: sender clock
    }

    [Fact]
    public void WriteFragment_SteadyClock_FollowsSenderTimestamps()
    {
        var muxer = new Fmp4Muxer();
        long[] pts = [90_000, 91_500, 93_000, 94_400, 96_000];
        var decodeTimes = pts.Select(p =>
        {
            muxer.CreateFragment(new VideoAccessUnit(Payload, false, p, 0));
            return muxer.LastDecodeTime;
        }).ToArray();

        Assert.Equal([0, 1500, 3000, 4400, 6000], decodeTimes);
        Assert.Equal(1600, muxer.LastDuration);
    }

    [Theory]
    [InlineData(0)] // timestamps restart (FLUSH)
    [InlineData(-5_000_000)] // clock went backwards
    [InlineData(3000)] // same timestamp
    [InlineData(3000 + (11 * 90_000))] // jump of 11 s
    [InlineData(3000 + 9000)] // pause longer than twice the frame duration
    public void WriteFragment_Discontinuity_ContinuesFromLastPlusDuration(long nextPts)
    {
        var muxer = new Fmp4Muxer();
        muxer.CreateFragment(new VideoAccessUnit(Payload, true, 0, 0));
        muxer.CreateFragment(new VideoAccessUnit(Payload, false, 1500, 0));
        muxer.CreateFragment(new VideoAccessUnit(Payload, false, 3000, 0));

        muxer.CreateFragment(new VideoAccessUnit(Payload, false, nextPts, 0));

        Assert.Equal(4500, muxer.LastDecodeTime);
        muxer.CreateFragment(new VideoAccessUnit(Payload, false, nextPts + 1500, 0));
        Assert.Equal(6000, muxer.LastDecodeTime);
        Assert.Equal(1500, muxer.LastDuration);
    }

    [Fact]
    public void WriteFragment_ExplicitDuration_IsWrittenToTrun()
    {
        var muxer = new Fmp4Muxer();
        var writer = new ArrayBufferWriter<byte>();

        muxer.WriteFragment(new VideoAccessUnit(Payload, true, 0, 0), 3003, writer);

        var trun = Mp4Box.Parse(writer.WrittenSpan.ToArray())[0].Child("traf").Child("trun");
        Assert.Equal(3003u, trun.U32(12));
    }

    [Fact]
    public void WriteFragment_WithProducerReferenceTime_PrecedesMoof()
    {
        var muxer = new Fmp4Muxer(writeProducerReferenceTime: true);

        var boxes = Mp4Box.Parse(muxer.CreateFragment(new VideoAccessUnit(Payload, true, 0, 1_500_000_000)));

        Assert.Equal(["prft", "moof", "mdat"], boxes.Select(b => b.Type));
        var prft = boxes[0];
        Assert.Equal(1u, prft.U32(4));
        Assert.Equal((1ul << 32) | 0x80000000ul, prft.U64(8));
        var trun = boxes[1].Child("traf").Child("trun");
        Assert.Equal((uint)(Fmp4Muxer.MoofLength + 8), trun.U32(8));
    }

    [Fact]
    public void WriteFragment_DestinationTooSmall_Throws()
    {
        var muxer = new Fmp4Muxer();

        Assert.Throws<ArgumentException>(() => muxer.WriteFragment(new VideoAccessUnit(Payload, true, 0, 0), -1, new byte[50]));
    }
}
