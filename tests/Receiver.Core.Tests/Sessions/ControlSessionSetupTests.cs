using Receiver.Core.Crypto;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Core.Sessions;
using static Receiver.Core.Tests.Sessions.ControlSessionHarness;

namespace Receiver.Core.Tests.Sessions;

/// <summary>The requests of one control connection before and at the session SETUP, driven without sockets.</summary>
public sealed class ControlSessionSetupTests : IAsyncLifetime
{
    private readonly ControlSessionHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Info_WithoutBody_ReturnsCapabilities()
    {
        var response = await _h.SendAsync("GET", "/info");

        Assert.Equal(200, response.StatusCode);
        Assert.True(ReplyPlist(response).ContainsKey("displays"));
    }

    [Fact]
    public async Task Info_WithQualifier_ReturnsOnlyTheTxtRecord()
    {
        var body = BinaryPlist.Write(new PlistDict { ["qualifier"] = new PlistArray("txtAirPlay") });

        var reply = ReplyPlist(await _h.SendAsync("GET", "/info", body, PlistType));

        Assert.Equal(["txtAirPlay"], reply.Keys);
    }

    [Fact]
    public async Task Info_WithCorruptPlist_Gets400()
    {
        var response = await _h.SendAsync("GET", "/info", "bplist00\x01\x02"u8.ToArray(), PlistType);

        Assert.Equal(400, response.StatusCode);
    }

    [Theory]
    [InlineData("OPTIONS", "*", 200)]
    [InlineData("POST", "/feedback", 200)]
    [InlineData("POST", "/audioMode", 200)]
    [InlineData("POST", "/fp-setup2", 421)]
    [InlineData("GET", "/nothing", 404)]
    [InlineData("POST", "/nothing", 404)]
    [InlineData("ANNOUNCE", SessionUri, 501)]
    [InlineData("RECORD", SessionUri, 455)]
    [InlineData("FLUSH", SessionUri, 455)]
    [InlineData("TEARDOWN", SessionUri, 455)]
    [InlineData("SETUP", SessionUri, 400)]
    public async Task RequestWithoutBody_BeforeAnything_GetsItsStatus(string method, string target, int status)
    {
        var response = await _h.SendAsync(method, target);

        Assert.Equal(status, response.StatusCode);
        Assert.False(response.CloseConnection);
        Assert.Equal(ControlSessionPhase.AwaitingSetup, _h.Control.Phase);
        Assert.Empty(_h.Endpoints.Timings);
        Assert.Equal(0, _h.Registry.Count);
    }

    [Fact]
    public async Task Options_ListsTheMethods()
    {
        var response = await _h.SendAsync("OPTIONS", "*");

        Assert.Equal("SETUP, RECORD, FLUSH, TEARDOWN, OPTIONS, GET_PARAMETER, SET_PARAMETER, POST, GET", response.Headers["Public"]);
    }

    [Fact]
    public async Task SessionSetup_BeforeFairPlay_Gets455_AndStartsNothing()
    {
        var response = await _h.SetupAsync(SessionKeysPlist());

        Assert.Equal(455, response.StatusCode);
        Assert.Null(_h.Control.Session);
        Assert.Empty(_h.Endpoints.Timings);
        Assert.Empty(_h.Events());
    }

    [Fact]
    public async Task SessionSetup_AfterFairPlayMessage1Only_Gets455()
    {
        var message1 = FairPlay.FairPlayVectors.Bytes(FairPlay.FairPlayVectors.Section("fp_setup_1")[0], "request");
        Assert.Equal(200, (await _h.SendAsync("POST", "/fp-setup", message1, OctetStream)).StatusCode);

        Assert.Equal(455, (await _h.SetupAsync(SessionKeysPlist())).StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(165)]
    public async Task FairPlay_WrongLength_Gets400_AndConnectionGoesOn(int length)
    {
        var response = await _h.SendAsync("POST", "/fp-setup", new byte[length], OctetStream);

        Assert.Equal(400, response.StatusCode);
        Assert.False(response.CloseConnection);
        Assert.Equal(200, (await _h.SendAsync("GET", "/info")).StatusCode);
    }

    [Fact]
    public async Task FairPlay_RepliesWithOctetStream()
    {
        var message3 = FairPlay.FairPlayVectors.Bytes(FairPlayCase, "message3");
        var message1 = FairPlay.FairPlayVectors.Bytes(FairPlay.FairPlayVectors.Section("fp_setup_1")[message3[12]], "request");

        var reply1 = await _h.SendAsync("POST", "/fp-setup", message1, OctetStream);
        var reply3 = await _h.SendAsync("POST", "/fp-setup", message3, OctetStream);

        Assert.Equal(142, reply1.Body.Length);
        Assert.Equal(32, reply3.Body.Length);
        Assert.Equal(OctetStream, reply3.Headers["Content-Type"]);
    }

    [Fact]
    public async Task SessionSetup_StartsSessionAndTimingClient()
    {
        await _h.FairPlayAsync();

        var response = await _h.SetupAsync(SessionKeysPlist(timingPort: 7010));

        Assert.Equal(200, response.StatusCode);
        var reply = ReplyPlist(response);
        Assert.Equal(["eventPort", "timingPort"], reply.Keys);
        Assert.Equal(0, reply.GetInt64("eventPort"));
        var timing = Assert.Single(_h.Endpoints.Timings);
        Assert.Equal(timing.LocalPort, reply.GetInt64("timingPort"));
        Assert.Equal(Remote.Address, timing.Sender.Address);
        Assert.Equal(7010, timing.Sender.Port);
        var session = Assert.IsType<MirroringSession>(_h.Control.Session);
        Assert.Same(session.Clock, timing.Clock);
        Assert.Equal(ControlSessionPhase.SetUp, _h.Control.Phase);
        Assert.Equal(InitialVolume, session.VolumeDb);
        Assert.Equal(new SenderInfo("88:66:5A:15:D7:E1", "Test iPhone", "iPhone15,2", "iPhone OS", "18.1", "830.5.1", "192.0.2.10"), session.Sender);
        Assert.Equal("airplay", session.Protocol);
        var started = Assert.IsType<SessionStartedEvent>(Assert.Single(_h.Events()));
        Assert.Equal(session.Id, started.SessionId);
        Assert.Equal(_h.Time.GetUtcNow(), started.Timestamp);
    }

    [Fact]
    public async Task SessionSetup_WithoutTimingPort_RepliesZero_AndStartsNoTimingClient()
    {
        await _h.FairPlayAsync();

        var reply = ReplyPlist(await _h.SetupAsync(SessionKeysPlist(timingPort: null)));

        Assert.Equal(0, reply.GetInt64("timingPort"));
        Assert.Empty(_h.Endpoints.Timings);
        Assert.NotNull(_h.Control.Session);
    }

    [Fact]
    public async Task SessionSetup_WithoutNames_TakesThemFromTheHeaders()
    {
        await _h.FairPlayAsync();
        var body = new PlistDict { ["ekey"] = Ekey, ["eiv"] = Eiv };

        await _h.SetupAsync(body, ("X-Apple-Device-ID", "0x1122334455"), ("X-Apple-Client-Name", "Header Name"));

        var sender = _h.Control.Session!.Sender;
        Assert.Equal("0x1122334455", sender.DeviceId);
        Assert.Equal("Header Name", sender.Name);
        Assert.Null(sender.Model);
    }

    [Fact]
    public async Task SessionSetup_Twice_Gets455_AndKeepsTheFirstSession()
    {
        var session = await _h.StartSessionAsync();
        _h.Events();

        var response = await _h.SetupAsync(SessionKeysPlist());

        Assert.Equal(455, response.StatusCode);
        Assert.Same(session, _h.Control.Session);
        Assert.Single(_h.Endpoints.Timings);
        Assert.Empty(_h.Events());
    }

    public static TheoryData<string> MalformedSessionKeys => new() { "no ekey", "short ekey", "no eiv", "short eiv", "eiv not data", "name not string", "ekey not FairPlay" };

    [Theory]
    [MemberData(nameof(MalformedSessionKeys))]
    public async Task SessionSetup_Malformed_Gets400_AndStartsNothing(string fault)
    {
        await _h.FairPlayAsync();
        var body = SessionKeysPlist();
        switch (fault)
        {
            case "no ekey": body = new PlistDict { ["eiv"] = Eiv, ["timingPort"] = 7010 }; break;
            case "short ekey": body["ekey"] = new byte[71]; break;
            case "no eiv": body = new PlistDict { ["ekey"] = Ekey }; break;
            case "short eiv": body["eiv"] = new byte[15]; break;
            case "eiv not data": body["eiv"] = "0102"; break;
            case "name not string": body["name"] = 5; break;
            case "ekey not FairPlay": body["ekey"] = new byte[72]; break;
        }

        var response = await _h.SetupAsync(body);

        Assert.Equal(400, response.StatusCode);
        Assert.Null(_h.Control.Session);
        Assert.Empty(_h.Endpoints.Timings);
        Assert.Equal(0, _h.Registry.Count);
    }

    [Theory]
    [InlineData("not a plist")]
    [InlineData("array")]
    [InlineData("neither")]
    [InlineData("streams not array")]
    [InlineData("stream not dict")]
    public async Task Setup_BodyOfTheWrongShape_Gets400(string fault)
    {
        await _h.FairPlayAsync();
        byte[] body = fault switch
        {
            "not a plist" => "hello"u8.ToArray(),
            "array" => BinaryPlist.Write(new PlistArray(1, 2)),
            "neither" => BinaryPlist.Write(new PlistDict { ["name"] = "x" }),
            "streams not array" => BinaryPlist.Write(new PlistDict { ["streams"] = 1 }),
            _ => BinaryPlist.Write(new PlistDict { ["streams"] = new PlistArray(1) }),
        };

        var response = await _h.SendAsync("SETUP", SessionUri, body, PlistType);

        Assert.Equal(400, response.StatusCode);
        Assert.Null(_h.Control.Session);
    }

    [Fact]
    public async Task SessionSetup_WhenPairingRequired_BeforePairVerify_Gets470()
    {
        await using var h = new ControlSessionHarness(pairingRequired: true);
        await h.FairPlayAsync();

        var response = await h.SetupAsync(SessionKeysPlist());

        Assert.Equal(470, response.StatusCode);
        Assert.Null(h.Control.Session);
        Assert.Empty(h.Endpoints.Timings);
    }

    [Fact]
    public async Task PairVerify_BeforePairSetup_Gets455()
    {
        var response = await _h.SendAsync("POST", "/pair-verify", new byte[68], OctetStream);

        Assert.Equal(455, response.StatusCode);
    }

    [Theory]
    [InlineData("/pair-setup", 31)]
    [InlineData("/pair-verify", 67)]
    public async Task Pairing_WrongLength_Gets400(string path, int length)
    {
        Assert.Equal(400, (await _h.SendAsync("POST", path, new byte[length], OctetStream)).StatusCode);
    }

    [Fact]
    public async Task PairVerifyPhase2_BeforePhase1_Gets455()
    {
        using var sender = PairingIdentity.CreateRandom();
        await _h.SendAsync("POST", "/pair-setup", sender.PublicKey, OctetStream);
        var phase2 = new byte[68];

        Assert.Equal(455, (await _h.SendAsync("POST", "/pair-verify", phase2, OctetStream)).StatusCode);
    }

    [Fact]
    public async Task PairVerify_BadSignature_Gets470AndClose()
    {
        using var sender = PairingIdentity.CreateRandom();
        var setup = await _h.SendAsync("POST", "/pair-setup", sender.PublicKey, OctetStream);
        var verifier = new PairVerifyClient(sender, setup.Body.Span);
        var phase1 = await _h.SendAsync("POST", "/pair-verify", verifier.CreatePhase1Request(), OctetStream);
        var phase2 = verifier.ProcessPhase1Response(phase1.Body.Span);
        phase2[40] ^= 1;

        var response = await _h.SendAsync("POST", "/pair-verify", phase2, OctetStream);

        Assert.Equal(470, response.StatusCode);
        Assert.True(response.CloseConnection);
    }

    [Fact]
    public async Task Pairing_ThenSetup_WhenPairingRequired_StartsSessionWithThePairedKey()
    {
        await using var h = new ControlSessionHarness(pairingRequired: true);
        using var sender = PairingIdentity.CreateRandom();
        var setup = await h.SendAsync("POST", "/pair-setup", sender.PublicKey, OctetStream);
        Assert.Equal(h.Identity.PublicKey, setup.Body.ToArray());
        var verifier = new PairVerifyClient(sender, setup.Body.Span);
        var phase1 = await h.SendAsync("POST", "/pair-verify", verifier.CreatePhase1Request(), OctetStream);
        Assert.Equal(96, phase1.Body.Length);
        var phase2 = await h.SendAsync("POST", "/pair-verify", verifier.ProcessPhase1Response(phase1.Body.Span), OctetStream);
        Assert.Equal(200, phase2.StatusCode);
        Assert.True(phase2.Body.IsEmpty);
        await h.FairPlayAsync();

        Assert.Equal(200, (await h.SetupAsync(SessionKeysPlist())).StatusCode);
        await h.SetupAsync(Streams(AudioStream()));

        var aesKey = FairPlay.FairPlayVectors.Bytes(FairPlayCase, "aeskey");
        var expected = SessionKeys.DeriveSessionKey(aesKey, verifier.SharedSecret.Span, pairingHappened: true);
        Assert.Equal(expected, Assert.Single(h.Endpoints.Audios).Parameters.Key.ToArray());
    }
}
