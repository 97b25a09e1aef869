namespace Receiver.Core.Media;

/// <summary>
/// The fragmented MP4 initialization segment of the audio stream: ftyp, then moov with one sound track
/// (<c>mp4a</c> sample entry with an <c>esds</c> carrying the AudioSpecificConfig) and mvex/trex.
/// </summary>
internal static class Fmp4AudioInitSegment
{
    public static byte[] Create(AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (format.SampleRate is <= 0 or > ushort.MaxValue || format.Channels is <= 0 or > 8 || format.AudioSpecificConfig.Length is 0 or > 100)
        {
            throw new MediaFormatException($"Audio format {format.SampleRate} Hz, {format.Channels} channels does not fit an mp4a sample entry.");
        }

        var b = new Mp4BoxBuilder();
        Fmp4InitSegment.WriteFileType(b);

        var moov = b.Begin("moov");
        Fmp4InitSegment.WriteMovieHeader(b);

        var trak = b.Begin("trak");
        var tkhd = b.BeginFull("tkhd", 0, 3);
        b.Zeros(8);
        b.UInt32(Fmp4Muxer.AudioTrackId);
        b.Zeros(8); // reserved, duration
        b.Zeros(8);
        b.UInt16(0); // layer
        b.UInt16(1); // alternate_group
        b.UInt16(0x0100); // volume 1.0
        b.UInt16(0);
        b.UnityMatrix();
        b.UInt32(0);
        b.UInt32(0);
        b.End(tkhd);

        var mdia = b.Begin("mdia");
        var mdhd = b.BeginFull("mdhd", 0, 0);
        b.Zeros(8);
        b.UInt32((uint)format.SampleRate);
        b.UInt32(0);
        b.UInt16(0x55C4);
        b.UInt16(0);
        b.End(mdhd);
        var hdlr = b.BeginFull("hdlr", 0, 0);
        b.UInt32(0);
        b.FourCc("soun");
        b.Zeros(12);
        b.Bytes("SoundHandler\0"u8);
        b.End(hdlr);

        var minf = b.Begin("minf");
        var smhd = b.BeginFull("smhd", 0, 0);
        b.UInt32(0); // balance, reserved
        b.End(smhd);
        var dinf = b.Begin("dinf");
        var dref = b.BeginFull("dref", 0, 0);
        b.UInt32(1);
        var url = b.BeginFull("url ", 0, 1);
        b.End(url);
        b.End(dref);
        b.End(dinf);

        var stbl = b.Begin("stbl");
        var stsd = b.BeginFull("stsd", 0, 0);
        b.UInt32(1);
        var mp4a = b.Begin("mp4a");
        b.Zeros(6);
        b.UInt16(1); // data_reference_index
        b.Zeros(8);
        b.UInt16((ushort)format.Channels);
        b.UInt16(16); // samplesize
        b.UInt32(0); // pre_defined, reserved
        b.UInt32((uint)format.SampleRate << 16);
        WriteEsds(b, format);
        b.End(mp4a);
        b.End(stsd);
        foreach (var table in new[] { "stts", "stsc", "stco" })
        {
            var box = b.BeginFull(table, 0, 0);
            b.UInt32(0);
            b.End(box);
        }

        var stsz = b.BeginFull("stsz", 0, 0);
        b.UInt32(0);
        b.UInt32(0);
        b.End(stsz);
        b.End(stbl);
        b.End(minf);
        b.End(mdia);
        b.End(trak);

        var mvex = b.Begin("mvex");
        var trex = b.BeginFull("trex", 0, 0);
        b.UInt32(Fmp4Muxer.AudioTrackId);
        b.UInt32(1);
        b.UInt32((uint)format.SamplesPerFrame);
        b.UInt32(0);
        b.UInt32(0x02000000);
        b.End(trex);
        b.End(mvex);
        b.End(moov);
        return b.ToArray();
    }

    /// <summary>ES_Descriptor (ISO/IEC 14496-1 7.2.6.5) with a DecoderConfigDescriptor for MPEG-4 audio.</summary>
    private static void WriteEsds(Mp4BoxBuilder b, AudioFormat format)
    {
        var asc = format.AudioSpecificConfig.Span;
        var esds = b.BeginFull("esds", 0, 0);
        var decoderSpecificLength = asc.Length;
        var decoderConfigLength = 13 + 2 + decoderSpecificLength;
        var esLength = 3 + 2 + decoderConfigLength + 3;
        b.UInt8(0x03); // ES_DescrTag
        b.UInt8((byte)esLength);
        b.UInt16((ushort)Fmp4Muxer.AudioTrackId); // ES_ID
        b.UInt8(0); // flags
        b.UInt8(0x04); // DecoderConfigDescrTag
        b.UInt8((byte)decoderConfigLength);
        b.UInt8(0x40); // objectTypeIndication: MPEG-4 audio
        b.UInt8(0x15); // streamType audio (5) << 2 | upStream 0 | reserved 1
        b.UInt8(0); // bufferSizeDB (24 bits)
        b.UInt16(0);
        b.UInt32(0); // maxBitrate
        b.UInt32(0); // avgBitrate
        b.UInt8(0x05); // DecSpecificInfoTag
        b.UInt8((byte)decoderSpecificLength);
        b.Bytes(asc);
        b.UInt8(0x06); // SLConfigDescrTag
        b.UInt8(1);
        b.UInt8(2); // predefined: MP4
        b.End(esds);
    }
}
