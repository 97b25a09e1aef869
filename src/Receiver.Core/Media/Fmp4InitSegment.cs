namespace Receiver.Core.Media;

/// <summary>
/// The fragmented MP4 initialization segment: ftyp, then moov with one video track whose sample tables are
/// empty (samples live in movie fragments) and mvex/trex declaring that fragments follow.
/// </summary>
internal static class Fmp4InitSegment
{
    public static byte[] Create(VideoFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (format.Width is <= 0 or > ushort.MaxValue || format.Height is <= 0 or > ushort.MaxValue)
        {
            throw new MediaFormatException($"Picture size {format.Width}x{format.Height} does not fit a sample entry.");
        }

        var b = new Mp4BoxBuilder();
        WriteFileType(b);

        var moov = b.Begin("moov");
        WriteMovieHeader(b);
        var trak = b.Begin("trak");
        WriteTrackHeader(b, format);
        var mdia = b.Begin("mdia");
        WriteMediaHeader(b);
        var minf = b.Begin("minf");
        var vmhd = b.BeginFull("vmhd", 0, 1);
        b.Zeros(8); // graphicsmode, opcolor
        b.End(vmhd);
        var dinf = b.Begin("dinf");
        var dref = b.BeginFull("dref", 0, 0);
        b.UInt32(1);
        var url = b.BeginFull("url ", 0, 1); // media data in the same file
        b.End(url);
        b.End(dref);
        b.End(dinf);
        WriteSampleTable(b, format);
        b.End(minf);
        b.End(mdia);
        b.End(trak);

        var mvex = b.Begin("mvex");
        var trex = b.BeginFull("trex", 0, 0);
        b.UInt32(Fmp4Muxer.VideoTrackId);
        b.UInt32(1); // default_sample_description_index
        b.UInt32(0); // default_sample_duration
        b.UInt32(0); // default_sample_size
        b.UInt32(0); // default_sample_flags
        b.End(trex);
        b.End(mvex);
        b.End(moov);
        return b.ToArray();
    }

    /// <summary>The <c>ftyp</c> box every init segment starts with (video and audio alike).</summary>
    internal static void WriteFileType(Mp4BoxBuilder b)
    {
        var ftyp = b.Begin("ftyp");
        b.FourCc("iso5");
        b.UInt32(512);
        b.FourCc("iso5");
        b.FourCc("iso6");
        b.FourCc("mp41");
        b.End(ftyp);
    }

    /// <summary>The <c>mvhd</c> box of a live movie whose next free track id follows the audio track.</summary>
    internal static void WriteMovieHeader(Mp4BoxBuilder b)
    {
        var mvhd = b.BeginFull("mvhd", 0, 0);
        b.UInt32(0); // creation_time
        b.UInt32(0); // modification_time
        b.UInt32(1000); // timescale
        b.UInt32(0); // duration: unknown, live
        b.UInt32(0x00010000); // rate 1.0
        b.UInt16(0x0100); // volume 1.0
        b.Zeros(10);
        b.UnityMatrix();
        b.Zeros(24); // pre_defined
        b.UInt32(Fmp4Muxer.AudioTrackId + 1); // next_track_ID
        b.End(mvhd);
    }

    private static void WriteTrackHeader(Mp4BoxBuilder b, VideoFormat format)
    {
        var tkhd = b.BeginFull("tkhd", 0, 3); // track_enabled | track_in_movie
        b.UInt32(0);
        b.UInt32(0);
        b.UInt32(Fmp4Muxer.VideoTrackId);
        b.UInt32(0); // reserved
        b.UInt32(0); // duration
        b.Zeros(8);
        b.UInt16(0); // layer
        b.UInt16(0); // alternate_group
        b.UInt16(0); // volume: 0 for video
        b.UInt16(0);
        b.UnityMatrix();
        b.UInt32((uint)format.Width << 16);
        b.UInt32((uint)format.Height << 16);
        b.End(tkhd);
    }

    private static void WriteMediaHeader(Mp4BoxBuilder b)
    {
        var mdhd = b.BeginFull("mdhd", 0, 0);
        b.UInt32(0);
        b.UInt32(0);
        b.UInt32(Fmp4Muxer.Timescale);
        b.UInt32(0);
        b.UInt16(0x55C4); // language 'und'
        b.UInt16(0);
        b.End(mdhd);

        var hdlr = b.BeginFull("hdlr", 0, 0);
        b.UInt32(0);
        b.FourCc("vide");
        b.Zeros(12);
        b.Bytes("VideoHandler\0"u8);
        b.End(hdlr);
    }

    private static void WriteSampleTable(Mp4BoxBuilder b, VideoFormat format)
    {
        var stbl = b.Begin("stbl");
        var stsd = b.BeginFull("stsd", 0, 0);
        b.UInt32(1);
        var entry = b.Begin(format.Codec == VideoCodec.H264 ? "avc1" : "hvc1");
        b.Zeros(6);
        b.UInt16(1); // data_reference_index
        b.Zeros(16); // pre_defined, reserved
        b.UInt16((ushort)format.Width);
        b.UInt16((ushort)format.Height);
        b.UInt32(0x00480000); // 72 dpi
        b.UInt32(0x00480000);
        b.UInt32(0);
        b.UInt16(1); // frame_count
        b.Zeros(32); // compressorname
        b.UInt16(0x0018); // depth
        b.UInt16(0xFFFF); // pre_defined = -1
        var config = b.Begin(format.Codec == VideoCodec.H264 ? "avcC" : "hvcC");
        b.Bytes(format.DecoderConfiguration.Span);
        b.End(config);
        b.End(entry);
        b.End(stsd);

        WriteEmptyTable(b, "stts");
        WriteEmptyTable(b, "stsc");
        var stsz = b.BeginFull("stsz", 0, 0);
        b.UInt32(0); // sample_size
        b.UInt32(0); // sample_count
        b.End(stsz);
        WriteEmptyTable(b, "stco");
        b.End(stbl);
    }

    private static void WriteEmptyTable(Mp4BoxBuilder b, string type)
    {
        var box = b.BeginFull(type, 0, 0);
        b.UInt32(0); // entry_count
        b.End(box);
    }
}
