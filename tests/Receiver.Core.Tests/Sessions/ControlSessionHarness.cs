using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Crypto;
using Receiver.Core.FairPlay;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;
using Receiver.Core.Sessions;
using Receiver.Core.Tests.FairPlay;

namespace Receiver.Core.Tests.Sessions;

/// <summary>One control connection driven with requests directly: fake endpoints, a fake clock, a registry and its events.</summary>
internal sealed class ControlSessionHarness : IAsyncDisposable
{
    public const string PlistType = "application/x-apple-binary-plist";
    public const string OctetStream = "application/octet-stream";
    public const string SessionUri = "rtsp://192.0.2.10/5259802854977588516";
    public const int MirrorPort = 7100;
    public const double InitialVolume = -15;

    private readonly SessionEventHub.Subscription _events;

    public ControlSessionHarness(bool pairingRequired = false)
    {
        Registry = new SessionRegistry(new SessionEventHub(), Time);
        _events = Registry.Events.Subscribe();
        Settings = new ReceiverSettings
        {
            Name = "Test receiver",
            DeviceId = "aa:bb:cc:dd:ee:ff",
            PublicKey = Identity.PublicKey,
            Features = pairingRequired ? ReceiverSettings.DefaultFeatures | ReceiverSettings.LegacyPairingFeature : ReceiverSettings.DefaultFeatures,
            MirrorPort = MirrorPort,
            InitialVolume = InitialVolume,
        };
        Control = new AirPlayControlSession(Settings, Identity, Registry, Remote, NullLoggerFactory.Instance, Endpoints);
    }

    public static IPEndPoint Remote { get; } = new(IPAddress.Parse("192.0.2.10"), 50123);

    /// <summary>The FairPlay case the harness exchanges: message 3, the ekey and the AES key it wraps.</summary>
    public static System.Text.Json.JsonElement FairPlayCase => FairPlayVectors.Section("ekey_decrypt")[0];

    public static byte[] Ekey => FairPlayVectors.Bytes(FairPlayCase, "ekey");

    public static byte[] Eiv { get; } = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];

    /// <summary>The session key the receiver derives when no pairing ran on the connection.</summary>
    public static byte[] UnpairedSessionKey =>
        SessionKeys.DeriveSessionKey(FairPlayVectors.Bytes(FairPlayCase, "aeskey"), ReadOnlySpan<byte>.Empty, pairingHappened: false);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    public SessionRegistry Registry { get; }

    public FakeStreamEndpoints Endpoints { get; } = new();

    public PairingIdentity Identity { get; } = PairingIdentity.CreateRandom();

    public ReceiverSettings Settings { get; }

    public AirPlayControlSession Control { get; }

    public static RtspRequest Request(string method, string target, ReadOnlyMemory<byte> body = default, string? contentType = null, params (string Name, string Value)[] headers)
    {
        var fields = new RtspHeaders();
        fields.Add("CSeq", "1");
        if (contentType is not null)
        {
            fields.Add("Content-Type", contentType);
        }

        foreach (var (name, value) in headers)
        {
            fields.Add(name, value);
        }

        return new RtspRequest(method, target, "RTSP/1.0", fields, body);
    }

    public static PlistDict SessionKeysPlist(int? timingPort = 7010)
    {
        var dict = new PlistDict
        {
            ["ekey"] = Ekey,
            ["eiv"] = Eiv,
            ["et"] = 32,
            ["timingProtocol"] = "NTP",
            ["deviceID"] = "88:66:5A:15:D7:E1",
            ["name"] = "Test iPhone",
            ["model"] = "iPhone15,2",
            ["osName"] = "iPhone OS",
            ["osVersion"] = "18.1",
            ["sourceVersion"] = "830.5.1",
        };
        if (timingPort is { } port)
        {
            dict["timingPort"] = port;
        }

        return dict;
    }

    public static PlistDict Streams(params PlistDict[] streams) => new() { ["streams"] = new PlistArray(streams) };

    public static PlistDict VideoStream(long streamConnectionId = 0x1234_5678_9ABC) => new() { ["type"] = 110, ["streamConnectionID"] = streamConnectionId };

    public static PlistDict AudioStream(int ct = 8, int spf = 480, int controlPort = 6001) =>
        new() { ["type"] = 96, ["ct"] = ct, ["spf"] = spf, ["controlPort"] = controlPort, ["usingScreen"] = true };

    public ValueTask<RtspResponse> SendAsync(string method, string target, ReadOnlyMemory<byte> body = default, string? contentType = null, params (string Name, string Value)[] headers) =>
        Control.HandleAsync(Request(method, target, body, contentType, headers), CancellationToken.None);

    public ValueTask<RtspResponse> SetupAsync(PlistDict body, params (string Name, string Value)[] headers) =>
        SendAsync("SETUP", SessionUri, BinaryPlist.Write(body), PlistType, headers);

    public async Task FairPlayAsync()
    {
        var message3 = FairPlayVectors.Bytes(FairPlayCase, "message3");
        var message1 = FairPlayVectors.Bytes(FairPlayVectors.Section("fp_setup_1")[message3[PlayFair.ModeOffset]], "request");
        Assert.Equal(200, (await SendAsync("POST", "/fp-setup", message1, OctetStream)).StatusCode);
        Assert.Equal(200, (await SendAsync("POST", "/fp-setup", message3, OctetStream)).StatusCode);
    }

    /// <summary>fp-setup, then the session SETUP: the session is set up.</summary>
    public async Task<MirroringSession> StartSessionAsync(int? timingPort = 7010)
    {
        await FairPlayAsync();
        var response = await SetupAsync(SessionKeysPlist(timingPort));
        Assert.Equal(200, response.StatusCode);
        return Assert.IsType<MirroringSession>(Control.Session);
    }

    public static PlistDict ReplyPlist(RtspResponse response)
    {
        Assert.Equal(PlistType, response.Headers["Content-Type"]);
        return Assert.IsType<PlistDict>(BinaryPlist.Read(response.Body.Span));
    }

    public static PlistDict StreamReply(RtspResponse response, int index = 0) =>
        Assert.IsType<PlistDict>(ReplyPlist(response).GetArray("streams")[index]);

    /// <summary>The events published since the last call.</summary>
    public List<SessionEvent> Events()
    {
        var events = new List<SessionEvent>();
        while (_events.Reader.TryRead(out var sessionEvent))
        {
            events.Add(sessionEvent);
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await Control.DisposeAsync();
        _events.Dispose();
        Identity.Dispose();
    }
}
