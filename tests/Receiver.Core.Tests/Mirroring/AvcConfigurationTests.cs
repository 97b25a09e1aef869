using Receiver.Core.Media;
using Receiver.Core.Mirroring;

namespace Receiver.Core.Tests.Mirroring;

public class AvcConfigurationTests
{
    internal static readonly byte[] Sps = [0x67, 0x64, 0x00, 0x1F, 0xAC, 0xD9, 0x40, 0x50, 0x05, 0xBB, 0x01];
    internal static readonly byte[] Pps = [0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0];

    private static readonly byte[] Record =
    [
        0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x0B, .. Sps, 0x01, 0x00, 0x06, .. Pps,
    ];

    [Fact]
    public void Parse_TypicalRecord_ReadsFields()
    {
        var config = AvcConfiguration.Parse(Record);
        Assert.Equal(1, config.Version);
        Assert.Equal(0x64, config.Profile);
        Assert.Equal(0x00, config.Compatibility);
        Assert.Equal(0x1F, config.Level);
        Assert.Equal(4, config.NalLengthSize);
        Assert.Equal(Sps, Assert.Single(config.SequenceParameterSets));
        Assert.Equal(Pps, Assert.Single(config.PictureParameterSets));
        Assert.Equal((byte[])[0, 0, 0, 1, .. Sps, 0, 0, 0, 1, .. Pps], config.ToAnnexB());
    }

    [Fact]
    public void Parse_TrailingHighProfileBytes_AreIgnored()
    {
        var config = AvcConfiguration.Parse([.. Record, 0xFD, 0xF8, 0xF8, 0x00]);
        Assert.Single(config.PictureParameterSets);
    }

    [Fact]
    public void Create_ThenWrite_ProducesTheSameRecord()
    {
        var config = AvcConfiguration.Create([Sps], [Pps]);
        Assert.Equal(Record, config.ToArray());
        Assert.Equal(Record.Length, config.EncodedLength);
    }

    [Fact]
    public void Parse_SeveralSets_RoundTrips()
    {
        byte[] pps2 = [0x68, 0x01];
        var record = AvcConfiguration.Create([Sps, Sps], [Pps, pps2], 2).ToArray();
        var config = AvcConfiguration.Parse(record);
        Assert.Equal(2, config.SequenceParameterSets.Count);
        Assert.Equal(pps2, config.PictureParameterSets[1]);
        Assert.Equal(2, config.NalLengthSize);
        Assert.Equal(record, config.ToArray());
    }

    [Fact]
    public void Parse_EveryTruncation_ThrowsMalformed()
    {
        for (var length = 0; length < Record.Length; length++)
        {
            Assert.Throws<MediaFormatException>(() => AvcConfiguration.Parse(Record.AsSpan(0, length)));
        }
    }

    public static TheoryData<string, byte[]> MalformedRecords => new()
    {
        { "version 0", [0x00, .. Record[1..]] },
        { "3-byte NAL lengths", [.. Record[..4], 0xFE, .. Record[5..]] },
        { "no SPS", [0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE0, 0x01, 0x00, 0x06, .. Pps] },
        { "no PPS", [.. Record[..(8 + Sps.Length)], 0x00] },
        { "zero-length SPS", [0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x00, 0x01, 0x00, 0x06, .. Pps] },
        { "SPS length past end", [.. Record[..6], 0xFF, 0xFF, .. Record[8..]] },
        { "SPS slot holds a PPS", [0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x06, .. Pps, 0x01, 0x00, 0x06, .. Pps] },
        { "forbidden bit in PPS", [.. Record[..^6], 0xE8, .. Pps[1..]] },
        { "PPS count larger than present", [.. Record[..(8 + Sps.Length)], 0x02, 0x00, 0x06, .. Pps] },
    };

    [Theory]
    [MemberData(nameof(MalformedRecords))]
    public void Parse_MalformedRecord_ThrowsMalformed(string description, byte[] record)
    {
        var ex = Assert.Throws<MediaFormatException>(() => AvcConfiguration.Parse(record));
        Assert.False(string.IsNullOrEmpty(ex.Message), description);
    }

    [Fact]
    public void Create_InvalidSets_Throw()
    {
        Assert.Throws<ArgumentException>(() => AvcConfiguration.Create([], [Pps]));
        Assert.Throws<ArgumentException>(() => AvcConfiguration.Create([Pps], [Pps]));
        Assert.Throws<ArgumentOutOfRangeException>(() => AvcConfiguration.Create([Sps], [Pps], 3));
    }
}
