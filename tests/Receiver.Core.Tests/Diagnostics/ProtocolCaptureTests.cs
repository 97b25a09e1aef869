using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Diagnostics;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Tests.Diagnostics;

/// <summary>What a protocol capture keeps of a control exchange, what it removes, its caps and its clock.</summary>
public sealed class ProtocolCaptureTests
{
    private static readonly byte[] Ekey = [.. Enumerable.Range(0, 72).Select(i => (byte)(0xA0 ^ i))];
    private static readonly byte[] Eiv = [.. Enumerable.Range(0, 16).Select(i => (byte)(0x5C + i))];

    [Fact]
    public void Exchange_FairPlayAndPairingBodies_AreReplacedByKindAndLength()
    {
        var fairPlay = Encoding.ASCII.GetBytes("FPLY").Concat(new byte[160]).ToArray();
        var json = Exchange(Request("POST", "/fp-setup", fairPlay, "application/octet-stream"), Response(200, new byte[32], "application/octet-stream"));
        var request = json.GetProperty("request").GetProperty("body");
        Assert.Equal(("fairplay", 164), (request.GetProperty("redacted").GetString(), request.GetProperty("length").GetInt32()));
        Assert.Equal(("fairplay", 32), (json.GetProperty("response").GetProperty("body").GetProperty("redacted").GetString(), json.GetProperty("response").GetProperty("body").GetProperty("length").GetInt32()));

        foreach (var path in new[] { "/pair-setup", "/pair-verify", "/pair-pin-start", "/pair-setup-pin", "/fp-setup2" })
        {
            var pairing = Exchange(Request("POST", path, new byte[68], "application/octet-stream"), Response(200, new byte[96], "application/octet-stream"));
            Assert.Equal(68, pairing.GetProperty("request").GetProperty("body").GetProperty("length").GetInt32());
            Assert.True(pairing.GetProperty("request").GetProperty("body").TryGetProperty("redacted", out _), path);
            Assert.True(pairing.GetProperty("response").GetProperty("body").TryGetProperty("redacted", out _), path);
        }
    }

    [Fact]
    public void Exchange_KeysSetup_KeepsItsPlistAndRemovesKeyAndIv()
    {
        var body = BinaryPlist.Write(new PlistDict { ["ekey"] = Ekey, ["eiv"] = Eiv, ["et"] = 32, ["deviceID"] = "AA:BB:CC:DD:EE:FF", ["timingPort"] = 50000, ["latency"] = 0.5, ["isScreenMirroringSession"] = true });
        var json = Exchange(Request("SETUP", "rtsp://10.0.0.2/1", body, "application/x-apple-binary-plist"), Response(200, BinaryPlist.Write(new PlistDict { ["eventPort"] = 0 }), "application/x-apple-binary-plist"));
        var plist = json.GetProperty("request").GetProperty("body").GetProperty("plist");
        Assert.Equal(("key", 72), (plist.GetProperty("ekey").GetProperty("redacted").GetString(), plist.GetProperty("ekey").GetProperty("length").GetInt32()));
        Assert.Equal(("key", 16), (plist.GetProperty("eiv").GetProperty("redacted").GetString(), plist.GetProperty("eiv").GetProperty("length").GetInt32()));
        Assert.Equal("AA:BB:CC:DD:EE:FF", plist.GetProperty("deviceID").GetString());
        Assert.Equal(32, plist.GetProperty("et").GetInt32());
        Assert.Equal(0.5, plist.GetProperty("latency").GetProperty("$real").GetDouble());
        Assert.True(plist.GetProperty("isScreenMirroringSession").GetBoolean());
        Assert.Equal(0, json.GetProperty("response").GetProperty("body").GetProperty("plist").GetProperty("eventPort").GetInt32());
        var text = json.GetRawText();
        Assert.DoesNotContain(Convert.ToHexStringLower(Ekey.AsSpan(0, 16)), text.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Eiv)[..20], text, StringComparison.Ordinal);
    }

    [Fact]
    public void Exchange_CredentialHeaders_AreRedacted_OthersKept()
    {
        var request = Request("SETUP", "rtsp://10.0.0.2/1", [], null,
            ("Authorization", "Digest username=\"AirPlay\", response=\"0123456789abcdef\""), ("Cookie", "session=secret"), ("X-Apple-Device-ID", "0xaabbccddeeff"));
        var response = Response(401, [], null);
        response.Headers.Add("WWW-Authenticate", "Digest realm=\"AirPlay\", nonce=\"abc\"");
        var json = Exchange(request, response);
        var headers = json.GetProperty("request").GetProperty("headers").EnumerateArray().ToDictionary(h => h[0].GetString()!, h => h[1]);
        Assert.Equal("credentials", headers["Authorization"].GetProperty("redacted").GetString());
        Assert.Equal("credentials", headers["Cookie"].GetProperty("redacted").GetString());
        Assert.Equal("0xaabbccddeeff", headers["X-Apple-Device-ID"].GetString());
        Assert.DoesNotContain("0123456789abcdef", json.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(401, json.GetProperty("response").GetProperty("status").GetInt32());
    }

    [Fact]
    public void Exchange_InfoResponse_ShowsTxtRecordsWithoutThePublicKey_AndOpaqueDataByLength()
    {
        var pk = Enumerable.Range(0, 32).Select(i => (byte)(0x30 + i)).ToArray();
        var txt = Txt("deviceid=AA:BB:CC:DD:EE:FF", "features=0x5A7FFFF7,0x1E", $"pk={Convert.ToHexStringLower(pk)}");
        var info = BinaryPlist.Write(new PlistDict { ["pk"] = pk, ["txtAirPlay"] = txt, ["name"] = "Receiver", ["blob"] = new byte[] { 1, 2, 3 } });
        var json = Exchange(Request("GET", "/info", [], null), Response(200, info, "application/x-apple-binary-plist"));
        var plist = json.GetProperty("response").GetProperty("body").GetProperty("plist");
        Assert.Equal(("key", 32), (plist.GetProperty("pk").GetProperty("redacted").GetString(), plist.GetProperty("pk").GetProperty("length").GetInt32()));
        Assert.Equal(("data", 3), (plist.GetProperty("blob").GetProperty("redacted").GetString(), plist.GetProperty("blob").GetProperty("length").GetInt32()));
        var records = plist.GetProperty("txtAirPlay").GetProperty("$txt").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("features=0x5A7FFFF7,0x1E", records);
        Assert.Contains("pk=(redacted, 64 characters)", records);
        Assert.DoesNotContain(Convert.ToHexStringLower(pk), json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Exchange_TextAndOpaqueBodies_KeepTextAndAHexPrefix()
    {
        var text = Exchange(Request("SET_PARAMETER", "rtsp://10.0.0.2/1", "volume: -20.000000\r\n"u8.ToArray(), "text/parameters"), Response(200, [], null));
        Assert.Equal("volume: -20.000000\r\n", text.GetProperty("request").GetProperty("body").GetProperty("text").GetString());
        var opaque = Exchange(Request("SET_PARAMETER", "rtsp://10.0.0.2/1", [.. Enumerable.Range(0, 100).Select(i => (byte)i)], "image/jpeg"), Response(200, [], null));
        var body = opaque.GetProperty("request").GetProperty("body");
        Assert.Equal(100, body.GetProperty("length").GetInt32());
        Assert.Equal(ControlExchangeJson.HexPrefixBytes * 2, body.GetProperty("hex").GetString()!.Length);
    }

    [Fact]
    public void PlistJson_RoundTrips_WithRedactedValuesRegenerated()
    {
        var original = new PlistDict
        {
            ["ekey"] = Ekey,
            ["name"] = "Phone",
            ["big"] = ulong.MaxValue,
            ["negative"] = -5L,
            ["rate"] = 60.0,
            ["on"] = false,
            ["when"] = new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero),
            ["streams"] = new PlistArray(new PlistDict { ["type"] = 110, ["streamConnectionID"] = -42L }),
        };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            CapturePlistJson.Write(writer, original);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var regenerated = new List<(string, string, int)>();
        var read = CapturePlistJson.Read(document.RootElement, (name, kind, length) =>
        {
            regenerated.Add((name, kind, length));
            return new PlistData(Ekey);
        });
        Assert.Equal([("ekey", "key", 72)], regenerated);
        Assert.Equal(original, read);
    }

    [Fact]
    public void Capture_BeyondItsCaps_DropsAndCounts_AndPacketsOnlyWhileRecording()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero));
        var capture = new ProtocolCapture(new CaptureLimits { MaxPacketEntries = 3, MaxControlBytes = 700 }, time, new IPEndPoint(IPAddress.Loopback, 50000), recordPackets: false);
        capture.RecordMirrorPacket(0, 0, 0, 100, 0x1_0000_0000);
        Assert.Empty(capture.Snapshot().Packets);

        time.Advance(TimeSpan.FromMilliseconds(250));
        capture.StartPackets();
        Assert.Equal(time.GetUtcNow(), capture.PacketsFrom);
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            capture.RecordAudioPacket(false, 96, (ushort)i, (uint)(i * 480), 7, 200);
        }

        for (var i = 0; i < 10; i++)
        {
            capture.RecordExchange(capture.Now, Request("POST", "/feedback", [], null), Response(200, [], null));
        }

        var snapshot = capture.Snapshot();
        Assert.Equal(3, snapshot.Packets.Count);
        Assert.Equal(2, snapshot.DroppedPacketEntries);
        Assert.Equal(260, snapshot.Milliseconds(snapshot.Packets[0].Timestamp), 3);
        Assert.True(snapshot.Control.Count is > 0 and < 10);
        Assert.Equal(10 - snapshot.Control.Count, snapshot.DroppedControlEntries);
        Assert.True(snapshot.ControlBytes <= 700);

        capture.Complete("teardown");
        capture.RecordAudioPacket(false, 96, 9, 0, 7, 200);
        Assert.False(capture.RecordsPackets);
        Assert.Equal("teardown", capture.EndReason);
    }

    [Fact]
    public void Capture_WithoutSession_KeepsLessControlExchange_AndLongStringsAreCut()
    {
        var capture = new ProtocolCapture(new CaptureLimits { MaxControlBytesBeforeSession = 2000 }, TimeProvider.System, new IPEndPoint(IPAddress.Loopback, 50000), recordPackets: false);
        var big = BinaryPlist.Write(new PlistDict { ["name"] = new string('x', 100_000) });
        for (var i = 0; i < 10; i++)
        {
            capture.RecordExchange(capture.Now, Request("SETUP", "rtsp://10.0.0.2/1", big, "application/x-apple-binary-plist"), Response(400, [], null));
        }

        var before = capture.Snapshot();
        Assert.True(before.ControlBytes is > 1000 and <= 2000, $"{before.ControlBytes} bytes");
        Assert.Equal(10 - before.Control.Count, before.DroppedControlEntries);
        using var entry = JsonDocument.Parse(before.Control[0]);
        var name = entry.RootElement.GetProperty("request").GetProperty("body").GetProperty("plist").GetProperty("name");
        Assert.Equal((CaptureLimits.MaxStringLength, 100_000), (name.GetProperty("$truncated").GetString()!.Length, name.GetProperty("length").GetInt32()));
        Assert.True(capture.HasRefusal);

        capture.Attach("0123456789ab");
        capture.RecordExchange(capture.Now, Request("SETUP", "rtsp://10.0.0.2/1", big, "application/x-apple-binary-plist"), Response(200, [], null));
        Assert.Equal(before.Control.Count + 1, capture.Snapshot().Control.Count);
    }

    [Fact]
    public async Task Document_HoldsReceiverSessionCountsControlAndPackets()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero));
        var capture = new ProtocolCapture(new CaptureLimits(), time, new IPEndPoint(IPAddress.Loopback, 50000), recordPackets: true);
        capture.Attach("0123456789ab");
        capture.RecordExchange(capture.Now, Request("GET", "/info", [], null), Response(200, [], null));
        time.Advance(TimeSpan.FromSeconds(1));
        capture.RecordMirrorPacket(1, 0, 0x0116, 40, (5000UL << 32) | 0x8000_0000);
        capture.RecordAudioSync(1000, ((5000UL + 2208988800UL) << 32) | 0x4000_0000, 1480, 20);
        capture.RecordTimingReply(1UL << 32, 2UL << 32, 32);
        capture.Complete("teardown");
        using var stream = new MemoryStream();
        await CaptureDocument.WriteAsync(stream, capture, new CaptureReceiver("1.0.0", "Receiver", "AppleTV3,2", "220.68", "0x5A7FFFF7", [new("accessMode", "pin")]), CancellationToken.None);
        using var document = JsonDocument.Parse(stream.ToArray());
        var root = document.RootElement;
        Assert.Equal(CaptureDocument.Format, root.GetProperty("format").GetString());
        Assert.Equal("pin", root.GetProperty("receiver").GetProperty("options").GetProperty("accessMode").GetString());
        Assert.Equal("0123456789ab", root.GetProperty("session").GetProperty("id").GetString());
        Assert.True(root.GetProperty("capture").GetProperty("complete").GetBoolean());
        var packets = root.GetProperty("packets").EnumerateArray().ToList();
        Assert.Equal(("mirror", "codec", 1000.0), (packets[0].GetProperty("stream").GetString(), packets[0].GetProperty("kind").GetString(), packets[0].GetProperty("t").GetDouble()));
        Assert.Equal(5000.5, packets[0].GetProperty("timestampSeconds").GetDouble());
        Assert.Equal("0x0000138880000000", packets[0].GetProperty("timestamp").GetString());
        Assert.Equal(5000.25 + 2208988800, packets[1].GetProperty("ntpTimeSeconds").GetDouble());
        Assert.Equal(2.0, packets[2].GetProperty("senderTransmitSeconds").GetDouble());
    }

    private static JsonElement Exchange(RtspRequest request, RtspResponse response)
    {
        var json = ControlExchangeJson.Write(1.5, request, 2.5, response, closesConnection: false, note: null);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static RtspRequest Request(string method, string target, byte[] body, string? contentType, params (string Name, string Value)[] headers)
    {
        var fields = new RtspHeaders();
        fields.Add("CSeq", "3");
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

    private static RtspResponse Response(int status, byte[] body, string? contentType)
    {
        var response = new RtspResponse(status) { Body = body };
        if (contentType is not null)
        {
            response.Headers.Add("Content-Type", contentType);
        }

        return response;
    }

    private static byte[] Txt(params string[] entries) =>
        [.. entries.SelectMany(e => new[] { (byte)e.Length }.Concat(Encoding.UTF8.GetBytes(e)))];
}
