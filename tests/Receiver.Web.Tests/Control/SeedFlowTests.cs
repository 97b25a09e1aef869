using System.Text;
using System.Threading.Channels;
using Receiver.Core.Plist;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Control;

/// <summary>The 13 steps of the mirroring service flow, over one TCP connection, with the headers senders send.</summary>
public sealed class SeedFlowTests : IAsyncLifetime
{
    private const string Plist = "application/x-apple-binary-plist";
    private const string Uri = "rtsp://127.0.0.1/5259802854977588516";
    private static readonly string[] SenderHeaders = ["DACP-ID: 7136391BB370A579", "Active-Remote: 354444643"];

    private ReceiverHost _host = null!;

    public async Task InitializeAsync() => _host = await ReceiverHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FullSeedFlow_AnswersEveryStep_AndEndsTheSession()
    {
        using var events = _host.Events.Subscribe();
        await using var timing = new TimingResponderStub();
        await using var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
        var fairPlay = FairPlayVectors.Get();
        var cseq = 0;

        async Task<RawResponse> Send(string method, string target, byte[]? body = null, string? type = null, params string[] headers)
        {
            var response = await client.SendRequestAsync(method, target, ++cseq, body, type, [.. SenderHeaders, .. headers]);
            Assert.Equal(cseq.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers["CSeq"]);
            Assert.Equal("RTSP/1.0", response.Protocol);
            Assert.Equal("AirTunes/220.68", response.Headers["Server"]);
            Assert.True(response.Headers.ContainsKey("Date"));
            return response;
        }

        // FairPlay setup (before step 1).
        var reply1 = await Send("POST", "/fp-setup", fairPlay.Message1, "application/octet-stream", "X-Apple-ET: 32");
        Assert.Equal(200, reply1.Status);
        Assert.Equal(fairPlay.ExpectedReply1, reply1.Body);
        var reply3 = await Send("POST", "/fp-setup", fairPlay.Message3, "application/octet-stream", "X-Apple-ET: 32");
        Assert.Equal(200, reply3.Status);
        Assert.Equal(32, reply3.Body.Length);
        Assert.Equal(fairPlay.Message3.AsSpan(144, 20).ToArray(), reply3.Body.AsSpan(12).ToArray());

        // 1. SETUP (session keys).
        var setup = new PlistDict
        {
            ["eiv"] = new byte[16],
            ["ekey"] = fairPlay.Ekey,
            ["et"] = 32,
            ["timingProtocol"] = "NTP",
            ["sessionUUID"] = "48FE92D4-3786-4D24-8270-752ACCCF8A47",
            ["osName"] = "Mac OS X",
            ["osBuildVersion"] = "19H524",
            ["sourceVersion"] = "425.1",
            ["timingPort"] = timing.Port,
            ["isScreenMirroringSession"] = true,
            ["osVersion"] = "10.15.7",
            ["deviceID"] = "88:66:5A:15:D7:E1",
            ["model"] = "MacBookPro16,1",
            ["name"] = "SHEENTIAN-MBP",
            ["macAddress"] = "88:66:5A:15:D7:E1",
        };
        var step1 = await Send("SETUP", Uri, BinaryPlist.Write(setup), Plist);
        Assert.Equal(200, step1.Status);
        Assert.Equal(Plist, step1.Headers["Content-Type"]);
        var step1Body = Assert.IsType<PlistDict>(BinaryPlist.Read(step1.Body));
        Assert.Equal(0, step1Body.GetInt64("eventPort"));
        Assert.InRange(step1Body.GetInt64("timingPort"), 1, 65535);
        var session = Assert.Single(_host.Sessions.Sessions);
        Assert.Equal("SHEENTIAN-MBP", session.Sender.Name);
        Assert.Equal("MacBookPro16,1", session.Sender.Model);
        Assert.Equal("88:66:5A:15:D7:E1", session.Sender.DeviceId);

        // 2. GET /info.
        var step2 = await Send("GET", "/info", null, null, "X-Apple-ProtocolVersion: 1");
        Assert.Equal(200, step2.Status);
        Assert.True(Assert.IsType<PlistDict>(BinaryPlist.Read(step2.Body)).ContainsKey("displays"));

        // 3. GET_PARAMETER volume.
        var step3 = await Send("GET_PARAMETER", Uri, "volume\r\n"u8.ToArray(), "text/parameters");
        Assert.Equal(200, step3.Status);
        Assert.Equal("text/parameters", step3.Headers["Content-Type"]);
        Assert.Equal("volume: 0.000000\r\n", Encoding.ASCII.GetString(step3.Body));

        // 4. RECORD.
        var step4 = await Send("RECORD", Uri);
        Assert.Equal(200, step4.Status);
        Assert.True(step4.Headers.ContainsKey("Audio-Latency"));
        Assert.False(step4.Headers.ContainsKey("Audio-Jack-Status"));

        // 5. SET_PARAMETER volume.
        var step5 = await Send("SET_PARAMETER", Uri, "volume: -20.000000\r\n"u8.ToArray(), "text/parameters");
        Assert.Equal(200, step5.Status);
        Assert.Equal(-20, session.VolumeDb);

        // 6. SETUP video stream.
        var video = new PlistDict
        {
            ["streams"] = new PlistArray(new PlistDict
            {
                ["type"] = 110,
                ["streamConnectionID"] = unchecked((long)0xA1B2C3D4E5F60718UL),
                ["timestampInfo"] = new PlistArray(new PlistDict { ["name"] = "SubSu" }, new PlistDict { ["name"] = "BePxT" }),
            }),
        };
        var step6 = await Send("SETUP", Uri, BinaryPlist.Write(video), Plist);
        Assert.Equal(200, step6.Status);
        var videoReply = Assert.IsType<PlistDict>(Assert.IsType<PlistDict>(BinaryPlist.Read(step6.Body)).GetArray("streams")[0]);
        Assert.Equal(110, videoReply.GetInt64("type"));
        Assert.Equal(_host.MirrorPort, videoReply.GetInt64("dataPort"));

        // 7. SET_PARAMETER volume.
        Assert.Equal(200, (await Send("SET_PARAMETER", Uri, "volume: -20.000000\r\n"u8.ToArray(), "text/parameters")).Status);

        // 8. SETUP audio stream.
        var audio = new PlistDict
        {
            ["streams"] = new PlistArray(new PlistDict
            {
                ["usingScreen"] = true,
                ["audioFormat"] = 0x1000000,
                ["supportsDynamicStreamID"] = false,
                ["redundantAudio"] = 2,
                ["audioMode"] = "default",
                ["ct"] = 8,
                ["spf"] = 480,
                ["latencyMax"] = 88200,
                ["type"] = 96,
                ["controlPort"] = 6001,
                ["isMedia"] = true,
                ["latencyMin"] = 11025,
            }),
        };
        var step8 = await Send("SETUP", Uri, BinaryPlist.Write(audio), Plist);
        Assert.Equal(200, step8.Status);
        var audioReply = Assert.IsType<PlistDict>(Assert.IsType<PlistDict>(BinaryPlist.Read(step8.Body)).GetArray("streams")[0]);
        Assert.Equal(96, audioReply.GetInt64("type"));
        Assert.InRange(audioReply.GetInt64("dataPort"), 1, 65535);
        Assert.InRange(audioReply.GetInt64("controlPort"), 1, 65535);

        // 9. SET_PARAMETER volume.
        Assert.Equal(200, (await Send("SET_PARAMETER", Uri, "volume: -20.000000\r\n"u8.ToArray(), "text/parameters")).Status);

        // 10. FLUSH.
        Assert.Equal(200, (await Send("FLUSH", Uri, null, null, "RTP-Info: seq=58942;rtptime=1054215198")).Status);

        // Feedback, as senders post every 2 s.
        Assert.Equal(200, (await Send("POST", "/feedback")).Status);

        // 11-13. TEARDOWN audio, video, then the session.
        var teardownAudio = new PlistDict { ["streams"] = new PlistArray(new PlistDict { ["streamID"] = 1, ["type"] = 96 }) };
        var step11 = await Send("TEARDOWN", Uri, BinaryPlist.Write(teardownAudio), Plist);
        Assert.Equal(200, step11.Status);
        Assert.False(session.AudioActive);
        var step12 = await Send("TEARDOWN", Uri, BinaryPlist.Write(new PlistDict { ["streams"] = new PlistArray(new PlistDict { ["type"] = 110 }) }), Plist);
        Assert.Equal(200, step12.Status);
        Assert.False(session.VideoActive);
        Assert.Equal(1, _host.Sessions.Count);
        var step13 = await Send("TEARDOWN", Uri, BinaryPlist.Write(new PlistDict()), Plist);
        Assert.Equal(200, step13.Status);
        Assert.Equal("close", step13.Headers["Connection"]);
        Assert.Equal(0, _host.Sessions.Count);
        Assert.Equal(SessionEndReason.Teardown, session.EndReason);
        Assert.True(timing.Requests >= 1, "the receiver sent no timing request to the sender's timing port");

        var seen = await DrainAsync(events.Reader);
        Assert.Collection(
            seen.Where(e => e.SessionId == session.Id),
            e => Assert.IsType<SessionStartedEvent>(e),
            e => Assert.Equal(-20, Assert.IsType<VolumeChangedEvent>(e).VolumeDb),
            e => Assert.Equal(StreamKind.Video, Assert.IsType<StreamStartedEvent>(e).Kind),
            e => Assert.IsType<VolumeChangedEvent>(e),
            e => Assert.Equal(StreamKind.Audio, Assert.IsType<StreamStartedEvent>(e).Kind),
            e => Assert.IsType<VolumeChangedEvent>(e),
            e => Assert.Equal(StreamKind.Audio, Assert.IsType<StreamEndedEvent>(e).Kind),
            e => Assert.Equal(StreamKind.Video, Assert.IsType<StreamEndedEvent>(e).Kind),
            e => Assert.Equal(SessionEndReason.Teardown, Assert.IsType<SessionEndedEvent>(e).Reason));
    }

    [Fact]
    public async Task ConnectionLoss_EndsTheSessionWithDisconnect()
    {
        using var events = _host.Events.Subscribe();
        var client = await RawRtspClient.ConnectAsync(_host.ControlPort);
        var fairPlay = FairPlayVectors.Get("gen-07");
        Assert.Equal(200, (await client.SendRequestAsync("POST", "/fp-setup", 1, fairPlay.Message1, "application/octet-stream")).Status);
        Assert.Equal(200, (await client.SendRequestAsync("POST", "/fp-setup", 2, fairPlay.Message3, "application/octet-stream")).Status);
        var setup = BinaryPlist.Write(new PlistDict { ["ekey"] = fairPlay.Ekey, ["eiv"] = new byte[16], ["name"] = "Phone" });
        Assert.Equal(200, (await client.SendRequestAsync("SETUP", Uri, 3, setup, Plist)).Status);
        Assert.Equal(1, _host.Sessions.Count);

        await client.DisposeAsync();

        var ended = await WaitForAsync<SessionEndedEvent>(events.Reader);
        Assert.Equal(SessionEndReason.Disconnect, ended.Reason);
        Assert.Equal(0, _host.Sessions.Count);
    }

    private static async Task<List<SessionEvent>> DrainAsync(ChannelReader<SessionEvent> reader)
    {
        var list = new List<SessionEvent>();
        while (reader.TryRead(out var item))
        {
            list.Add(item);
        }

        return await Task.FromResult(list);
    }

    private static async Task<T> WaitForAsync<T>(ChannelReader<SessionEvent> reader)
        where T : SessionEvent
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var item = await reader.ReadAsync(cts.Token);
            if (item is T match)
            {
                return match;
            }
        }
    }
}
