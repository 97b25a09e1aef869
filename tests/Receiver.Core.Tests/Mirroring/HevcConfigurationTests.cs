using Receiver.Core.Media;
using Receiver.Core.Mirroring;

namespace Receiver.Core.Tests.Mirroring;

public class HevcConfigurationTests
{
    internal static readonly byte[] Vps = [0x40, 0x01, 0x0C, 0x01, 0xFF, 0xFF, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90];
    internal static readonly byte[] Sps = [0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x5D, 0xA0];
    internal static readonly byte[] Pps = [0x44, 0x01, 0xC1, 0x72, 0xB4, 0x62, 0x40];

    [Fact]
    public void Create_ThenParse_RoundTrips()
    {
        var config = HevcConfiguration.Create([Vps], [Sps], [Pps]);
        var record = config.ToArray();
        var parsed = HevcConfiguration.Parse(record);

        Assert.Equal(1, parsed.Version);
        Assert.Equal(1, parsed.ProfileIdc);
        Assert.False(parsed.HighTier);
        Assert.Equal(0x5D, parsed.LevelIdc);
        Assert.Equal(4, parsed.NalLengthSize);
        Assert.Equal(Vps, Assert.Single(parsed.VideoParameterSets));
        Assert.Equal(Sps, Assert.Single(parsed.SequenceParameterSets));
        Assert.Equal(Pps, Assert.Single(parsed.PictureParameterSets));
        Assert.Equal(record, parsed.ToArray());
        Assert.Equal((byte[])[0, 0, 0, 1, .. Vps, 0, 0, 0, 1, .. Sps, 0, 0, 0, 1, .. Pps], parsed.ToAnnexB());
    }

    [Fact]
    public void ToSampleEntry_ArraysStartAt0x75_AndParseBack()
    {
        var entry = HevcConfiguration.Create([Vps], [Sps], [Pps]).ToSampleEntry(3840, 2160);

        Assert.Equal("hvc1"u8.ToArray(), entry[4..8]);
        Assert.Equal(0xA0, entry[0x75]);
        Assert.Equal(new byte[] { 0x00, 0x01 }, entry[0x76..0x78]);
        Assert.Equal(Vps.Length, (entry[0x78] << 8) | entry[0x79]);
        Assert.Equal(Vps, entry[0x7A..(0x7A + Vps.Length)]);

        var parsed = HevcConfiguration.ParseSampleEntry(entry);
        Assert.Equal(Sps, Assert.Single(parsed.SequenceParameterSets));
    }

    [Fact]
    public void ParseSampleEntry_WithoutHvcCLabel_ReadsArraysAt0x75()
    {
        var entry = HevcConfiguration.Create([Vps], [Sps], [Pps]).ToSampleEntry(1920, 1080);
        entry[90] = (byte)'x';
        var parsed = HevcConfiguration.ParseSampleEntry(entry);
        Assert.Equal(Vps, Assert.Single(parsed.VideoParameterSets));
        Assert.Equal(Pps, Assert.Single(parsed.PictureParameterSets));
    }

    [Fact]
    public void Parse_ExtraSeiArray_IsSkipped()
    {
        var record = HevcConfiguration.Create([Vps], [Sps], [Pps]).ToArray();
        record[22] = 4;
        byte[] sei = [0x4E, 0x01, 0x05, 0x80];
        var withSei = HevcConfiguration.Parse([.. record, 0x27, 0x00, 0x01, 0x00, (byte)sei.Length, .. sei]);
        Assert.Single(withSei.PictureParameterSets);
    }

    [Fact]
    public void Parse_EveryTruncation_ThrowsMalformed()
    {
        var record = HevcConfiguration.Create([Vps], [Sps], [Pps]).ToArray();
        for (var length = 0; length < record.Length; length++)
        {
            Assert.Throws<MediaFormatException>(() => HevcConfiguration.Parse(record.AsSpan(0, length)));
        }
    }

    [Fact]
    public void ParseSampleEntry_EveryTruncation_ThrowsMalformed()
    {
        var entry = HevcConfiguration.Create([Vps], [Sps], [Pps]).ToSampleEntry(1920, 1080);
        for (var length = 0; length < entry.Length; length++)
        {
            Assert.Throws<MediaFormatException>(() => HevcConfiguration.ParseSampleEntry(entry.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Parse_MalformedRecords_ThrowMalformed()
    {
        var record = HevcConfiguration.Create([Vps], [Sps], [Pps]).ToArray();

        var version = (byte[])record.Clone();
        version[0] = 0;
        var lengthSize = (byte[])record.Clone();
        lengthSize[21] = (byte)((lengthSize[21] & ~0x03) | 0x02);
        var noPps = (byte[])record.Clone();
        noPps[22] = 2;
        var wrongType = (byte[])record.Clone();
        wrongType[23] = 0xA1;
        var overrun = (byte[])record.Clone();
        overrun[26] = 0xFF;

        foreach (var bad in new[] { version, lengthSize, noPps[..(record.Length - 5 - Pps.Length)], wrongType, overrun })
        {
            Assert.Throws<MediaFormatException>(() => HevcConfiguration.Parse(bad));
        }
    }

    [Fact]
    public void ParseSampleEntry_NotHvc1_ThrowsMalformed()
    {
        var entry = HevcConfiguration.Create([Vps], [Sps], [Pps]).ToSampleEntry(1920, 1080);
        "avc1"u8.CopyTo(entry.AsSpan(4));
        Assert.Throws<MediaFormatException>(() => HevcConfiguration.ParseSampleEntry(entry));
    }
}
