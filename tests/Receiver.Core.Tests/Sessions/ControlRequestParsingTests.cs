using System.Text;
using Receiver.Core.Control;
using Receiver.Core.Plist;
using static Receiver.Core.Tests.Sessions.ControlSessionHarness;

namespace Receiver.Core.Tests.Sessions;

/// <summary>The typed control requests read from their plists and text bodies, with errors that name the key.</summary>
public sealed class ControlRequestParsingTests
{
    [Fact]
    public void SetupSessionRequest_Parse_ReadsEveryKey()
    {
        var request = SetupSessionRequest.Parse(SessionKeysPlist(timingPort: 7010));

        Assert.Equal(Ekey, request.EncryptedKey.ToArray());
        Assert.Equal(Eiv, request.Iv.ToArray());
        Assert.Equal(7010, request.TimingPort);
        Assert.Equal("NTP", request.TimingProtocol);
        Assert.Equal(("88:66:5A:15:D7:E1", "Test iPhone", "iPhone15,2"), (request.DeviceId, request.Name, request.Model));
        Assert.Equal(("iPhone OS", "18.1", "830.5.1"), (request.OsName, request.OsVersion, request.SourceVersion));
    }

    [Theory]
    [InlineData("ekey")]
    [InlineData("eiv")]
    public void SetupSessionRequest_Parse_MissingKey_NamesIt(string key)
    {
        var body = SessionKeysPlist();
        var rest = new PlistDict(body.Where(p => p.Key != key));

        var ex = Assert.Throws<PlistFormatException>(() => SetupSessionRequest.Parse(rest));

        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ekey", 16)]
    [InlineData("eiv", 72)]
    public void SetupSessionRequest_Parse_WrongLength_NamesTheKey(string key, int length)
    {
        var body = SessionKeysPlist();
        body[key] = new byte[length];

        var ex = Assert.Throws<PlistFormatException>(() => SetupSessionRequest.Parse(body));

        Assert.Contains($"'{key}' has {length} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetupSessionRequest_Parse_StringWhereANameBelongs_NamesTheKey()
    {
        var body = SessionKeysPlist();
        body["model"] = 15;

        var ex = Assert.Throws<PlistFormatException>(() => SetupSessionRequest.Parse(body));

        Assert.Contains("'model'", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<PlistValue> NotAPort => new() { 0, -1, 65536, "7010", 1.5 };

    [Theory]
    [MemberData(nameof(NotAPort))]
    public void SetupSessionRequest_Parse_TimingPortThatIsNotAPort_MeansNoTiming(PlistValue port)
    {
        var body = SessionKeysPlist();
        body["timingPort"] = port;

        Assert.Equal(0, SetupSessionRequest.Parse(body).TimingPort);
    }

    [Fact]
    public void SetupStreamRequest_Parse_Video_ReadsTheIdAsUnsigned()
    {
        var request = SetupStreamRequest.Parse(VideoStream(-2));

        Assert.Equal(new VideoStreamRequest(ulong.MaxValue - 1), request);
        Assert.Equal(110, request.Type);
    }

    [Fact]
    public void SetupStreamRequest_Parse_Audio_ReadsTheFormat()
    {
        Assert.Equal(new AudioStreamRequest(2, 352, 6001), SetupStreamRequest.Parse(AudioStream(2, 352, 6001)));
    }

    [Fact]
    public void SetupStreamRequest_Parse_AudioWithFormatKeysOfAnotherType_UsesTheDefaults()
    {
        var stream = new PlistDict { ["type"] = 96, ["ct"] = "2", ["spf"] = true };

        Assert.Equal(new AudioStreamRequest(8, 480, 0), SetupStreamRequest.Parse(stream));
    }

    [Fact]
    public void SetupStreamRequest_Parse_OtherType_IsUnsupported()
    {
        Assert.Equal(new UnsupportedStreamRequest(130), SetupStreamRequest.Parse(new PlistDict { ["type"] = 130 }));
    }

    [Fact]
    public void SetupStreamRequest_Parse_WithoutType_NamesTheKey()
    {
        var ex = Assert.Throws<PlistFormatException>(() => SetupStreamRequest.Parse(new PlistDict { ["ct"] = 8 }));

        Assert.Contains("'type'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetupStreamRequest_Parse_VideoWithoutId_NamesTheKey()
    {
        var ex = Assert.Throws<PlistFormatException>(() => SetupStreamRequest.Parse(new PlistDict { ["type"] = 110 }));

        Assert.Contains("'streamConnectionID'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetupRequest_Parse_SplitsSessionAndStreams()
    {
        var body = SessionKeysPlist();
        body["streams"] = new PlistArray(VideoStream(), AudioStream());

        var request = SetupRequest.Parse(BinaryPlist.Write(body));

        Assert.NotNull(request.SessionPart);
        Assert.Equal(2, request.StreamParts.Count);
    }

    [Fact]
    public void SetupRequest_Parse_StreamsOnly_HasNoSessionPart()
    {
        var request = SetupRequest.Parse(Streams(VideoStream()));

        Assert.Null(request.SessionPart);
        Assert.Single(request.StreamParts);
    }

    [Fact]
    public void SetupRequest_Parse_TimingPortAlone_IsASessionPart()
    {
        Assert.NotNull(SetupRequest.Parse(new PlistDict { ["timingPort"] = 7010 }).SessionPart);
    }

    [Fact]
    public void SetupRequest_Parse_Empty_Is400()
    {
        Assert.Equal(400, Assert.Throws<ControlRequestException>(() => SetupRequest.Parse(ReadOnlySpan<byte>.Empty)).StatusCode);
    }

    [Fact]
    public void SetupRequest_Parse_Neither_Is400()
    {
        Assert.Equal(400, Assert.Throws<ControlRequestException>(() => SetupRequest.Parse(new PlistDict { ["et"] = 32 })).StatusCode);
    }

    [Fact]
    public void SetupRequest_Parse_StreamsNotAnArray_NamesTheKey()
    {
        var ex = Assert.Throws<PlistFormatException>(() => SetupRequest.Parse(new PlistDict { ["streams"] = new PlistDict() }));

        Assert.Contains("'streams'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TeardownRequest_Parse_EmptyBody_EndsTheSession()
    {
        Assert.True(TeardownRequest.Parse(ReadOnlySpan<byte>.Empty).EndsSession);
        Assert.True(TeardownRequest.Parse(new PlistDict()).EndsSession);
    }

    [Fact]
    public void TeardownRequest_Parse_ListsTheStreamTypes()
    {
        var request = TeardownRequest.Parse(Streams(new PlistDict { ["type"] = 96 }, new PlistDict { ["type"] = 110 }));

        Assert.False(request.EndsSession);
        Assert.Equal([96L, 110L], request.StreamTypes);
        Assert.True(request.Includes(110));
    }

    [Fact]
    public void TeardownRequest_Parse_NotADictionary_Throws()
    {
        Assert.Throws<PlistFormatException>(() => TeardownRequest.Parse(BinaryPlist.Write(new PlistArray(96))));
    }

    [Theory]
    [InlineData("volume: -20.000000\r\n", -20.0)]
    [InlineData("volume: -144\r\n", -144.0)]
    [InlineData("progress: 1/2/3\r\nvolume: -7.5\r\n", -7.5)]
    [InlineData("progress: 1/2/3\r\n", null)]
    public void SetParameterRequest_Parse_ReadsTheVolume(string body, double? volume)
    {
        Assert.Equal(volume, SetParameterRequest.Parse("text/parameters", Encoding.ASCII.GetBytes(body)).Volume);
    }

    [Theory]
    [InlineData("volume: 0.5\r\n", 400)]
    [InlineData("volume: -30.5\r\n", 400)]
    [InlineData("volume: NaN\r\n", 400)]
    [InlineData("volume:\r\n", 400)]
    [InlineData(": -20\r\n", 451)]
    [InlineData("volume -20\r\n", 451)]
    public void SetParameterRequest_Parse_Malformed_HasItsStatus(string body, int status)
    {
        var ex = Assert.Throws<ControlRequestException>(() => SetParameterRequest.Parse("text/parameters", Encoding.ASCII.GetBytes(body)));

        Assert.Equal(status, ex.StatusCode);
    }

    [Fact]
    public void SetParameterRequest_Parse_OtherContentType_IsIgnored()
    {
        Assert.Null(SetParameterRequest.Parse("application/x-dmap-tagged", "volume: 5"u8).Volume);
    }

    [Fact]
    public void GetParameterRequest_Parse_VolumeOnly()
    {
        Assert.Equal("volume", GetParameterRequest.Parse("TEXT/PARAMETERS", "volume\r\n"u8).Name);
        Assert.Equal(451, Assert.Throws<ControlRequestException>(() => GetParameterRequest.Parse("text/parameters", "name\r\n"u8)).StatusCode);
    }

    [Fact]
    public void InfoRequest_Parse_QualifierOrEverything()
    {
        Assert.Null(InfoRequest.Parse(ReadOnlySpan<byte>.Empty).Qualifier);
        Assert.Null(InfoRequest.Parse("not a plist"u8).Qualifier);
        Assert.Equal(["txtAirPlay", "txtRAOP"], InfoRequest.Parse(BinaryPlist.Write(new PlistDict { ["qualifier"] = new PlistArray("txtAirPlay", "txtRAOP") })).Qualifier!);
    }
}
