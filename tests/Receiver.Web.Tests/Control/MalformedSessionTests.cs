using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Control;

public sealed class MalformedSessionTests : IAsyncLifetime
{
    private const string Plist = "application/x-apple-binary-plist";
    private ReceiverHost _host = null!;

    public async Task InitializeAsync() => _host = await ReceiverHost.StartAsync("--Receiver:RequirePairing=true");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task BadPairVerifySignature_Gets470AndClose()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
        using var sender = PairingIdentity.CreateRandom();
        var setup = await client.SendRequestAsync("POST", "/pair-setup", 1, sender.PublicKey, "application/octet-stream");
        Assert.Equal(200, setup.Status);
        var verifier = new PairVerifyClient(sender, setup.Body);
        var phase1 = await client.SendRequestAsync("POST", "/pair-verify", 2, verifier.CreatePhase1Request(), "application/octet-stream");
        Assert.Equal(200, phase1.Status);
        var phase2 = verifier.ProcessPhase1Response(phase1.Body);
        phase2[40] ^= 0x01;

        var response = await client.SendRequestAsync("POST", "/pair-verify", 3, phase2, "application/octet-stream");

        Assert.Equal(470, response.Status);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, _host.Sessions.Count);
    }

    [Fact]
    public async Task GoodPairing_ThenSetup_StartsSession()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
        using var sender = PairingIdentity.CreateRandom();
        var setup = await client.SendRequestAsync("POST", "/pair-setup", 1, sender.PublicKey, "application/octet-stream");
        var verifier = new PairVerifyClient(sender, setup.Body);
        var phase1 = await client.SendRequestAsync("POST", "/pair-verify", 2, verifier.CreatePhase1Request(), "application/octet-stream");
        var phase2 = await client.SendRequestAsync("POST", "/pair-verify", 3, verifier.ProcessPhase1Response(phase1.Body), "application/octet-stream");
        Assert.Equal(200, phase2.Status);
        var fairPlay = FairPlayVectors.Get();
        await client.SendRequestAsync("POST", "/fp-setup", 4, fairPlay.Message1, "application/octet-stream");
        await client.SendRequestAsync("POST", "/fp-setup", 5, fairPlay.Message3, "application/octet-stream");

        var response = await client.SendRequestAsync("SETUP", "rtsp://127.0.0.1/1", 6, BinaryPlist.Write(new PlistDict { ["ekey"] = fairPlay.Ekey, ["eiv"] = new byte[16] }), Plist);

        Assert.Equal(200, response.Status);
        Assert.Equal(1, _host.Sessions.Count);
    }

    [Fact]
    public async Task SetupBeforePairing_WhenPairingRequired_Gets470()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
        var fairPlay = FairPlayVectors.Get();
        await client.SendRequestAsync("POST", "/fp-setup", 1, fairPlay.Message1, "application/octet-stream");
        await client.SendRequestAsync("POST", "/fp-setup", 2, fairPlay.Message3, "application/octet-stream");

        var response = await client.SendRequestAsync("SETUP", "rtsp://127.0.0.1/1", 3, BinaryPlist.Write(new PlistDict { ["ekey"] = fairPlay.Ekey, ["eiv"] = new byte[16] }), Plist);

        Assert.Equal(470, response.Status);
        Assert.Equal(0, _host.Sessions.Count);
    }

    [Fact]
    public async Task PairVerifyBeforePairSetup_Gets455()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        var response = await client.SendRequestAsync("POST", "/pair-verify", 1, new byte[68], "application/octet-stream");

        Assert.Equal(455, response.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(163)]
    [InlineData(165)]
    public async Task FairPlayWrongSize_Gets400_ConnectionStaysUsable(int size)
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);

        var response = await client.SendRequestAsync("POST", "/fp-setup", 1, new byte[size], "application/octet-stream");

        Assert.Equal(400, response.Status);
        Assert.Equal(200, (await client.SendRequestAsync("GET", "/info", 2)).Status);
    }

    [Fact]
    public async Task SetupWithoutEkey_Gets400()
    {
        await using var unpaired = await ReceiverHost.StartAsync();
        await using var client = await RawRtspClient.ConnectAsync(unpaired.ControlPort);
        var fairPlay = FairPlayVectors.Get();
        await client.SendRequestAsync("POST", "/fp-setup", 1, fairPlay.Message1, "application/octet-stream");
        await client.SendRequestAsync("POST", "/fp-setup", 2, fairPlay.Message3, "application/octet-stream");

        var response = await client.SendRequestAsync("SETUP", "rtsp://127.0.0.1/1", 3, BinaryPlist.Write(new PlistDict { ["eiv"] = new byte[16], ["timingPort"] = 7010 }), Plist);

        Assert.Equal(400, response.Status);
        Assert.Equal(0, unpaired.Sessions.Count);
    }

    [Fact]
    public async Task SetupBeforeFairPlay_Gets455()
    {
        await using var unpaired = await ReceiverHost.StartAsync();
        await using var client = await RawRtspClient.ConnectAsync(unpaired.ControlPort);

        var response = await client.SendRequestAsync("SETUP", "rtsp://127.0.0.1/1", 1, BinaryPlist.Write(new PlistDict { ["ekey"] = new byte[72], ["eiv"] = new byte[16] }), Plist);

        Assert.Equal(455, response.Status);
    }

    [Fact]
    public async Task StreamSetupBeforeSessionSetup_Gets455()
    {
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
        var body = BinaryPlist.Write(new PlistDict { ["streams"] = new PlistArray(new PlistDict { ["type"] = 110, ["streamConnectionID"] = 5 }) });

        var response = await client.SendRequestAsync("SETUP", "rtsp://127.0.0.1/1", 1, body, Plist);

        Assert.Equal(455, response.Status);
    }
}
