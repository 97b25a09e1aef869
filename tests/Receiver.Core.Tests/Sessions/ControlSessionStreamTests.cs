using System.Text;
using Receiver.Core.Crypto;
using Receiver.Core.Plist;
using Receiver.Core.Sessions;
using static Receiver.Core.Tests.Sessions.ControlSessionHarness;

namespace Receiver.Core.Tests.Sessions;

/// <summary>Stream SETUPs, volume, RECORD and FLUSH on one control connection, before and after the session SETUP.</summary>
public sealed class ControlSessionStreamTests : IAsyncLifetime
{
    private readonly ControlSessionHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    public static TheoryData<string> StreamKinds => new() { "video", "audio" };

    [Theory]
    [MemberData(nameof(StreamKinds))]
    public async Task StreamSetup_BeforeSessionSetup_Gets455_AndOpensNothing(string kind)
    {
        await _h.FairPlayAsync();

        var response = await _h.SetupAsync(Streams(kind == "video" ? VideoStream() : AudioStream()));

        Assert.Equal(455, response.StatusCode);
        Assert.Empty(_h.Endpoints.Audios);
        Assert.Empty(_h.Registry.PendingFrom(Remote.Address));
        Assert.Empty(_h.Events());
    }

    [Fact]
    public async Task StreamSetup_OfUnknownType_BeforeSessionSetup_Gets455()
    {
        Assert.Equal(455, (await _h.SetupAsync(Streams(new PlistDict { ["type"] = 120 }))).StatusCode);
    }

    [Fact]
    public async Task VideoSetup_ExpectsTheMirrorConnection_WithTheDerivedKey()
    {
        var session = await _h.StartSessionAsync();
        _h.Events();
        const long id = unchecked((long)0xA1B2C3D4E5F60718UL);
        _h.Time.Advance(TimeSpan.FromSeconds(3));

        var response = await _h.SetupAsync(Streams(VideoStream(id)));

        Assert.Equal(200, response.StatusCode);
        var reply = StreamReply(response);
        Assert.Equal(["type", "dataPort"], reply.Keys);
        Assert.Equal(110, reply.GetInt64("type"));
        Assert.Equal(MirrorPort, reply.GetInt64("dataPort"));
        var pending = Assert.Single(_h.Registry.PendingFrom(Remote.Address));
        Assert.Same(session, pending.Session);
        Assert.Equal(0xA1B2C3D4E5F60718UL, pending.StreamConnectionId);
        var (key, iv) = SessionKeys.DeriveMirrorKeys(UnpairedSessionKey, 0xA1B2C3D4E5F60718UL);
        Assert.Equal(key, pending.Key.ToArray());
        Assert.Equal(iv, pending.Iv.ToArray());
        Assert.True(session.VideoActive);
        var started = Assert.IsType<StreamStartedEvent>(Assert.Single(_h.Events()));
        Assert.Equal((StreamKind.Video, (string?)null, _h.Time.GetUtcNow()), (started.Kind, started.Codec, started.Timestamp));
    }

    [Fact]
    public async Task AudioSetup_OpensTheAudioEndpoint_WithTheSessionKeyAndIv()
    {
        var session = await _h.StartSessionAsync();
        _h.Events();

        var response = await _h.SetupAsync(Streams(AudioStream(ct: 8, spf: 480, controlPort: 6001)));

        Assert.Equal(200, response.StatusCode);
        var audio = Assert.Single(_h.Endpoints.Audios);
        var reply = StreamReply(response);
        Assert.Equal(["type", "dataPort", "controlPort"], reply.Keys);
        Assert.Equal(96, reply.GetInt64("type"));
        Assert.Equal(audio.DataPort, reply.GetInt64("dataPort"));
        Assert.Equal(audio.ControlPort, reply.GetInt64("controlPort"));
        Assert.Equal(Remote.Address, audio.Sender);
        Assert.Same(session, audio.Session);
        Assert.Equal((8, 480, 6001), (audio.Parameters.CompressionType, audio.Parameters.SamplesPerFrame, audio.Parameters.SenderControlPort));
        Assert.Equal(UnpairedSessionKey, audio.Parameters.Key.ToArray());
        Assert.Equal(Eiv, audio.Parameters.Iv.ToArray());
        Assert.True(session.AudioActive);
        var started = Assert.IsType<StreamStartedEvent>(Assert.Single(_h.Events()));
        Assert.Equal(StreamKind.Audio, started.Kind);
        Assert.Equal("aac-eld", started.Codec);
    }

    [Fact]
    public async Task AudioSetup_WithoutFormatKeys_UsesMirroringDefaults()
    {
        await _h.StartSessionAsync();

        await _h.SetupAsync(Streams(new PlistDict { ["type"] = 96 }));

        var parameters = Assert.Single(_h.Endpoints.Audios).Parameters;
        Assert.Equal((8, 480, 0), (parameters.CompressionType, parameters.SamplesPerFrame, parameters.SenderControlPort));
    }

    [Fact]
    public async Task AudioSetup_Again_ClosesTheFirstEndpoint()
    {
        await _h.StartSessionAsync();
        await _h.SetupAsync(Streams(AudioStream()));

        await _h.SetupAsync(Streams(AudioStream(ct: 2, spf: 352)));

        Assert.Equal(2, _h.Endpoints.Audios.Count);
        Assert.True(_h.Endpoints.Audios[0].IsDisposed);
        Assert.False(_h.Endpoints.Audios[1].IsDisposed);
    }

    [Fact]
    public async Task SessionAndStreams_InOneSetup_AreAllSetUp()
    {
        await _h.FairPlayAsync();
        var body = SessionKeysPlist();
        body["streams"] = new PlistArray(VideoStream(), AudioStream());

        var response = await _h.SetupAsync(body);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["eventPort", "timingPort", "streams"], ReplyPlist(response).Keys);
        Assert.Equal(110, StreamReply(response, 0).GetInt64("type"));
        Assert.Equal(96, StreamReply(response, 1).GetInt64("type"));
        Assert.Single(_h.Endpoints.Audios);
    }

    [Fact]
    public async Task StreamSetup_OfUnsupportedType_Gets415AndClose_AndOpensNothing()
    {
        await _h.StartSessionAsync();
        _h.Events();

        var response = await _h.SetupAsync(Streams(AudioStream(), new PlistDict { ["type"] = 120 }));

        Assert.Equal(415, response.StatusCode);
        Assert.True(response.CloseConnection);
        Assert.Empty(_h.Endpoints.Audios);
        Assert.Empty(_h.Events());
    }

    [Theory]
    [InlineData("no type")]
    [InlineData("type not integer")]
    [InlineData("video without id")]
    [InlineData("video id not integer")]
    public async Task StreamSetup_Malformed_Gets400_AndOpensNothing(string fault)
    {
        await _h.StartSessionAsync();
        var stream = fault switch
        {
            "no type" => new PlistDict { ["ct"] = 8 },
            "type not integer" => new PlistDict { ["type"] = "110" },
            "video without id" => new PlistDict { ["type"] = 110 },
            _ => new PlistDict { ["type"] = 110, ["streamConnectionID"] = "5" },
        };

        var response = await _h.SetupAsync(Streams(AudioStream(), stream));

        Assert.Equal(400, response.StatusCode);
        Assert.False(response.CloseConnection);
        Assert.Empty(_h.Endpoints.Audios);
    }

    [Fact]
    public async Task GetParameterVolume_BeforeSession_ReturnsTheInitialVolume()
    {
        var response = await _h.SendAsync("GET_PARAMETER", SessionUri, "volume\r\n"u8.ToArray(), "text/parameters");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/parameters", response.Headers["Content-Type"]);
        Assert.Equal("volume: -15.000000\r\n", Encoding.ASCII.GetString(response.Body.Span));
    }

    [Theory]
    [InlineData("volume\r\n", null)]
    [InlineData("progress\r\n", "text/parameters")]
    [InlineData("", "text/parameters")]
    public async Task GetParameter_OtherThanVolume_Gets451(string body, string? contentType)
    {
        Assert.Equal(451, (await _h.SendAsync("GET_PARAMETER", SessionUri, Encoding.ASCII.GetBytes(body), contentType)).StatusCode);
    }

    [Fact]
    public async Task SetParameterVolume_SetsPublishesAndIsReportedBack()
    {
        var session = await _h.StartSessionAsync();
        _h.Events();

        var response = await _h.SendAsync("SET_PARAMETER", SessionUri, "volume: -20.000000\r\n"u8.ToArray(), "text/parameters");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(-20, session.VolumeDb);
        var changed = Assert.IsType<VolumeChangedEvent>(Assert.Single(_h.Events()));
        Assert.Equal(-20, changed.VolumeDb);
        var get = await _h.SendAsync("GET_PARAMETER", SessionUri, "volume\r\n"u8.ToArray(), "text/parameters");
        Assert.Equal("volume: -20.000000\r\n", Encoding.ASCII.GetString(get.Body.Span));
    }

    [Theory]
    [InlineData("volume: -20\r\n", 455)]
    [InlineData("volume: 1\r\n", 400)]
    [InlineData("volume: -31\r\n", 400)]
    [InlineData("volume: loud\r\n", 400)]
    [InlineData("no colon here\r\n", 451)]
    [InlineData("progress: 1/2/3\r\n", 200)]
    public async Task SetParameter_BeforeSession_GetsItsStatus(string body, int status)
    {
        Assert.Equal(status, (await _h.SendAsync("SET_PARAMETER", SessionUri, Encoding.ASCII.GetBytes(body), "text/parameters")).StatusCode);
        Assert.Empty(_h.Events());
    }

    [Theory]
    [InlineData("volume: -144\r\n", -144)]
    [InlineData("volume: 0\r\n", 0)]
    [InlineData("volume: -30\r\n", -30)]
    public async Task SetParameter_VolumeLimits_AreAccepted(string body, double volume)
    {
        var session = await _h.StartSessionAsync();

        Assert.Equal(200, (await _h.SendAsync("SET_PARAMETER", SessionUri, Encoding.ASCII.GetBytes(body), "text/parameters")).StatusCode);
        Assert.Equal(volume, session.VolumeDb);
    }

    [Fact]
    public async Task SetParameter_Artwork_IsAcceptedAndIgnored()
    {
        Assert.Equal(200, (await _h.SendAsync("SET_PARAMETER", SessionUri, new byte[] { 0xFF, 0xD8 }, "image/jpeg")).StatusCode);
    }

    [Fact]
    public async Task Record_AfterSetup_AnswersTheAudioLatency()
    {
        await _h.StartSessionAsync();

        var response = await _h.SendAsync("RECORD", SessionUri);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("11025", response.Headers["Audio-Latency"]);
        Assert.True(_h.Control.IsRecording);
    }

    [Fact]
    public async Task Flush_AfterSetup_Gets200()
    {
        await _h.StartSessionAsync();

        Assert.Equal(200, (await _h.SendAsync("FLUSH", SessionUri, default, null, ("RTP-Info", "seq=100"))).StatusCode);
    }
}
