using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Access;
using Receiver.Sender.Legacy;
using Receiver.Sender.Replay;
using Receiver.Sender.Sessions;
using Receiver.Web.Diagnostics;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Diagnostics;

/// <summary>
/// Protocol captures end to end: the sender simulator (a phone-like boot clock, PIN pairing, sound) mirrors through a
/// proxy that keeps every byte of the control connection; the receiver writes the session's capture when it ends.
/// The capture holds the control exchange and the packet headers, and none of the session's secrets; it replays
/// against a fresh receiver with the same statuses; its caps hold.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ProtocolCaptureEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string ShownPin = "4821";
    private const string PhoneId = "AA:BB:CC:00:00:17";

    private readonly SenderTempDirectory _temp = new("capture");

    public void Dispose() => _temp.Dispose();

    [FfmpegFact]
    public async Task CapturedSession_HoldsControlExchangeAndPacketHeaders_AndNoSecret()
    {
        var directory = Path.Combine(_temp.Path, "captures");
        await using var host = await StartAsync("--Receiver:Access:Mode=pin", $"--Receiver:Diagnostics:CaptureDirectory={directory}");
        await using var proxy = new RecordingTcpProxy(host.ControlPort);
        var result = await new AirPlaySenderSession(Phone(proxy.Port, seconds: 3)).RunAsync(CancellationToken.None);
        Assert.True(result.Ok, result.Error);

        var file = await CaptureFileAsync(directory);
        var bytes = await File.ReadAllBytesAsync(file);
        output.WriteLine($"capture: {bytes.Length} bytes");
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        Assert.Equal("airplay-web-receiver-capture", root.GetProperty("format").GetString());
        Assert.Equal("teardown", root.GetProperty("session").GetProperty("endReason").GetString());
        Assert.Equal("pin", root.GetProperty("receiver").GetProperty("options").GetProperty("accessMode").GetString());

        // The control exchange: every request of the flow, in order, with the status it got.
        var exchange = root.GetProperty("control").EnumerateArray().Select(e => (
            Request: $"{e.GetProperty("request").GetProperty("method").GetString()} {PathOf(e.GetProperty("request").GetProperty("target").GetString()!)}".Trim(),
            Entry: e)).ToList();
        var requests = exchange.Select(x => x.Request).ToList();
        output.WriteLine(string.Join(Environment.NewLine, requests));
        string[] flow = ["GET /info", "GET /info", "POST /pair-pin-start", "POST /pair-setup-pin", "POST /pair-setup-pin", "POST /pair-setup-pin", "POST /pair-verify", "POST /pair-verify",
            "POST /fp-setup", "POST /fp-setup", "SETUP", "GET /info", "GET_PARAMETER", "RECORD", "SET_PARAMETER", "SETUP", "SETUP", "FLUSH"];
        Assert.Equal(flow, requests.Where(r => r != "POST /feedback").Take(flow.Length));
        Assert.Equal(3, requests.Count(r => r.StartsWith("TEARDOWN", StringComparison.Ordinal)));
        Assert.Contains("POST /feedback", requests);
        Assert.All(exchange, x => Assert.Equal(200, x.Entry.GetProperty("response").GetProperty("status").GetInt32()));
        Assert.True(exchange.Select(x => x.Entry.GetProperty("t").GetDouble()).Zip(exchange.Skip(1).Select(x => x.Entry.GetProperty("t").GetDouble())).All(p => p.First <= p.Second), "request times go forward");

        // Secrets are replaced by their kind and length; what is not secret is kept.
        var fairPlay = exchange.Where(x => x.Request == "POST /fp-setup").Select(x => x.Entry.GetProperty("request").GetProperty("body")).ToList();
        Assert.Equal(["fairplay", "fairplay"], fairPlay.Select(b => b.GetProperty("redacted").GetString()));
        Assert.Equal([16, 164], fairPlay.Select(b => b.GetProperty("length").GetInt32()));
        Assert.All(exchange.Where(x => x.Request.StartsWith("POST /pair", StringComparison.Ordinal) && x.Entry.GetProperty("request").TryGetProperty("body", out _)),
            x => Assert.Equal("pairing", x.Entry.GetProperty("request").GetProperty("body").GetProperty("redacted").GetString()));
        var keys = exchange.First(x => x.Request.StartsWith("SETUP", StringComparison.Ordinal)).Entry.GetProperty("request").GetProperty("body").GetProperty("plist");
        Assert.Equal(72, keys.GetProperty("ekey").GetProperty("length").GetInt32());
        Assert.Equal(16, keys.GetProperty("eiv").GetProperty("length").GetInt32());
        Assert.Equal("key", keys.GetProperty("eiv").GetProperty("redacted").GetString());
        Assert.Equal(PhoneId, keys.GetProperty("deviceID").GetString());
        Assert.Equal("volume\r\n", exchange.First(x => x.Request.StartsWith("GET_PARAMETER", StringComparison.Ordinal)).Entry.GetProperty("request").GetProperty("body").GetProperty("text").GetString());

        // Packet headers: the codec packet and every picture, the sound and its sync packets, on the phone's clock.
        var packets = root.GetProperty("packets").EnumerateArray().ToList();
        var mirror = packets.Where(p => p.GetProperty("stream").GetString() == "mirror").ToList();
        var audio = packets.Where(p => p.GetProperty("stream").GetString() == "audio").ToList();
        var sync = packets.Where(p => p.GetProperty("stream").GetString() == "audio-sync").ToList();
        output.WriteLine($"packets: {mirror.Count} mirror, {audio.Count} audio, {sync.Count} sync, {packets.Count(p => p.GetProperty("stream").GetString() == "timing-reply")} timing replies; frames sent {result.FramesSent}, audio packets sent {result.AudioPacketsSent}");
        Assert.Contains(mirror, p => p.GetProperty("kind").GetString() == "codec");
        Assert.Equal(result.FramesSent, mirror.Count(p => p.GetProperty("kind").GetString() == "video"));
        Assert.True(audio.Count >= result.AudioPacketsSent * 9 / 10, $"{audio.Count} of {result.AudioPacketsSent} audio packets captured");
        Assert.NotEmpty(sync);
        Assert.All(audio, p => Assert.True(p.GetProperty("size").GetInt32() > 12));
        Assert.Equal(0, root.GetProperty("capture").GetProperty("droppedPacketEntries").GetInt64());

        // A boot clock: mirror timestamps are the phone's uptime (1 h to 30 d), sync packets the same instant + 70 years of NTP epoch.
        var uptime = mirror.First(p => p.GetProperty("kind").GetString() == "video").GetProperty("timestampSeconds").GetDouble();
        Assert.InRange(uptime, 3600, 31 * 86400);
        var syncSeconds = sync[0].GetProperty("ntpTimeSeconds").GetDouble();
        Assert.InRange(syncSeconds - 2208988800, uptime - 10, uptime + 10);
        Assert.True(mirror[0].GetProperty("t").GetDouble() > exchange.First(x => x.Request.StartsWith("SETUP", StringComparison.Ordinal)).Entry.GetProperty("t").GetDouble(), "packet times are on the capture's clock, after the SETUP");

        // No secret of the session anywhere in the file.
        var secrets = SessionSecrets.FromWire(proxy.Sent, proxy.Received);
        secrets.Add("FairPlay AES key", FairPlayCase.Load(SenderTestMedia.FairPlayFile, "gen-00").AesKey);
        secrets.Add("PIN", Encoding.ASCII.GetBytes(ShownPin));
        output.WriteLine($"{secrets.Secrets.Count} secrets: {string.Join(", ", secrets.Secrets.Select(s => $"{s.Name} ({s.Bytes.Length})"))}");
        Assert.True(secrets.Secrets.Count >= 20, "the FairPlay, pairing and key material of the session were collected");
        Assert.Empty(secrets.FindIn(bytes));
        Assert.DoesNotContain($"\"{ShownPin}\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task CapturedSession_ReplaysAgainstFreshReceiver_WithTheSameStatuses()
    {
        var directory = Path.Combine(_temp.Path, "captures");
        string file;
        await using (var first = await StartAsync("--Receiver:Access:Mode=pin", $"--Receiver:Diagnostics:CaptureDirectory={directory}"))
        {
            var result = await new AirPlaySenderSession(Phone(first.ControlPort, seconds: 2)).RunAsync(CancellationToken.None);
            Assert.True(result.Ok, result.Error);
            file = await CaptureFileAsync(directory);
        }

        var capture = CaptureFile.Load(file);
        Assert.True(capture.Requests.Count >= 20, $"{capture.Requests.Count} requests captured");
        await using var fresh = await StartAsync("--Receiver:Access:Mode=pin");
        var replay = await new CaptureReplay(ReplayOptions(fresh)).RunAsync(capture, CancellationToken.None);
        foreach (var step in replay.Steps)
        {
            output.WriteLine(step.ToString());
        }

        Assert.True(replay.Ok, $"{replay.Differences} statuses differ");
        Assert.Equal(capture.Requests.Count, replay.Steps.Count);
        Assert.All(replay.Steps, s => Assert.Equal(200, s.Replayed));
        Assert.Contains(replay.Steps, s => s.Note?.Contains("fresh fairplay", StringComparison.Ordinal) == true);
        Assert.Contains(replay.Steps, s => s.Note?.Contains("fresh pairing", StringComparison.Ordinal) == true);
        Assert.Contains(replay.Steps, s => s.Note?.Contains("fresh secret value", StringComparison.Ordinal) == true);
        Assert.True(fresh.Sessions.Count == 0 || await SessionsEndAsync(fresh), "the replayed session ended with its TEARDOWN");

        // A capture whose receiver answered differently is reported as a difference (the replay is a real check).
        var json = await File.ReadAllTextAsync(file);
        var changed = Path.Combine(_temp.Path, "changed.json");
        var record = json.IndexOf("\"method\":\"RECORD\"", StringComparison.Ordinal);
        var status = json.IndexOf("\"status\":200", record, StringComparison.Ordinal);
        await File.WriteAllTextAsync(changed, string.Concat(json.AsSpan(0, status), "\"status\":455", json.AsSpan(status + "\"status\":200".Length)));
        await using var another = await StartAsync("--Receiver:Access:Mode=pin");
        var (code, console) = await RunReplayCliAsync(changed, another.ControlPort);
        output.WriteLine(console);
        Assert.Equal(1, code);
        var difference = Assert.Single(console.Split('\n'), l => l.StartsWith("DIFF", StringComparison.Ordinal));
        Assert.Contains("RECORD", difference, StringComparison.Ordinal);
        Assert.Contains("captured 455  replayed 200", difference, StringComparison.Ordinal);
        Assert.Matches(@"\b1 of \d+ statuses differ from the capture", console);
    }

    [FfmpegFact]
    public async Task CapturedSession_WithPairSetupPairing_ReplaysWithTheSameStatuses()
    {
        var directory = Path.Combine(_temp.Path, "captures");
        string[] pairing = ["--Receiver:Access:Mode=open", "--Receiver:RequirePairing=true"];
        await using (var first = await StartAsync([.. pairing, $"--Receiver:Diagnostics:CaptureDirectory={directory}"]))
        {
            var result = await new AirPlaySenderSession(Phone(first.ControlPort, seconds: 1) with { Pin = null }).RunAsync(CancellationToken.None);
            Assert.True(result.Ok, result.Error);
        }

        var capture = CaptureFile.Load(await CaptureFileAsync(directory));
        Assert.Contains(capture.Requests, r => r.Path == "/pair-setup");
        await using var fresh = await StartAsync(pairing);
        var replay = await new CaptureReplay(ReplayOptions(fresh) with { Pin = null }).RunAsync(capture, CancellationToken.None);
        foreach (var step in replay.Steps)
        {
            output.WriteLine(step.ToString());
        }

        Assert.True(replay.Ok, $"{replay.Differences} statuses differ");
        Assert.All(replay.Steps, s => Assert.Equal(200, s.Replayed));
    }

    [FfmpegFact]
    public async Task RefusedConnection_IsCaptured_AndItsReplayIsRefusedAlike()
    {
        var directory = Path.Combine(_temp.Path, "captures");
        await using (var first = await StartAsync("--Receiver:Access:Mode=pin", $"--Receiver:Diagnostics:CaptureDirectory={directory}"))
        {
            var result = await new AirPlaySenderSession(Phone(first.ControlPort, seconds: 1) with { Pin = SenderPin.Parse("1234") }).RunAsync(CancellationToken.None);
            Assert.False(result.Ok);
            Assert.Contains("wrong PIN", result.Error, StringComparison.Ordinal);
        }

        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.StartsWith("capture-refused-", System.IO.Path.GetFileName(file), StringComparison.Ordinal);
        var capture = CaptureFile.Load(file);
        Assert.Null(capture.SessionId);
        Assert.Contains(capture.Requests, r => r.Path == "/pair-setup-pin" && r.Status == 470);

        await using var fresh = await StartAsync("--Receiver:Access:Mode=pin");
        var replay = await new CaptureReplay(ReplayOptions(fresh) with { Pin = SenderPin.Parse("1234") }).RunAsync(capture, CancellationToken.None);
        foreach (var step in replay.Steps)
        {
            output.WriteLine(step.ToString());
        }

        Assert.True(replay.Ok, $"{replay.Differences} statuses differ");
        Assert.Contains(replay.Steps, s => s.Replayed == 470);
    }

    [FfmpegFact]
    public async Task LegacySession_IsCaptured_WithItsKeyAndIvRemoved_AndIsNotReplayed()
    {
        var directory = Path.Combine(_temp.Path, "captures");
        await using var timing = new LegacyTimingResponder(System.Net.IPAddress.Loopback, 0);
        await using (var host = await StartAsync($"--Receiver:Diagnostics:CaptureDirectory={directory}", $"--Receiver:Legacy:SenderTimingPort={timing.Port}"))
        {
            var options = new LegacySenderOptions
            {
                Sender = new SenderOptions { Host = "127.0.0.1", Video = Receiver.Sender.Video.VideoSourceSpec.ParsePattern("320x240@30"), Seconds = 2, FairPlayFile = SenderTestMedia.FairPlayFile, FairPlayCase = "gen-11" },
                MirrorPort = host.MirrorPort,
            };
            var result = await new LegacySenderSession(options, timing).RunAsync(CancellationToken.None);
            Assert.True(result.Ok, result.Error);
        }

        var file = await CaptureFileAsync(directory);
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(file));
        var root = document.RootElement;
        Assert.Equal("legacy", root.GetProperty("session").GetProperty("flow").GetString());
        var control = root.GetProperty("control").EnumerateArray().ToList();
        Assert.Equal(["GET /stream.xml", "POST /fp-setup", "POST /fp-setup", "POST /stream"],
            control.Select(e => $"{e.GetProperty("request").GetProperty("method").GetString()} {e.GetProperty("request").GetProperty("target").GetString()}"));
        Assert.False(control[3].TryGetProperty("response", out _), "POST /stream is answered with nothing");
        var stream = control[3].GetProperty("request").GetProperty("body").GetProperty("plist");
        Assert.Equal("key", stream.GetProperty("param1").GetProperty("redacted").GetString());
        Assert.Equal(16, stream.GetProperty("param2").GetProperty("length").GetInt32());
        Assert.Contains(root.GetProperty("packets").EnumerateArray(), p => p.GetProperty("stream").GetString() == "mirror" && p.GetProperty("kind").GetString() == "video");
        var refused = Assert.Throws<FormatException>(() => CaptureFile.Load(file));
        Assert.Contains("legacy", refused.Message, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task Capture_BeyondItsPacketCap_DropsAndCountsHeaders()
    {
        var directory = Path.Combine(_temp.Path, "captures");
        await using var host = await StartAsync($"--Receiver:Diagnostics:CaptureDirectory={directory}", "--Receiver:Diagnostics:CaptureMaxPacketEntries=50");
        var result = await new AirPlaySenderSession(Phone(host.ControlPort, seconds: 2) with { Pin = null }).RunAsync(CancellationToken.None);
        Assert.True(result.Ok, result.Error);
        var file = await CaptureFileAsync(directory);
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(file));
        var capture = document.RootElement.GetProperty("capture");
        Assert.Equal(50, document.RootElement.GetProperty("packets").GetArrayLength());
        Assert.Equal(50, capture.GetProperty("packetEntries").GetInt32());
        var dropped = capture.GetProperty("droppedPacketEntries").GetInt64();
        output.WriteLine($"kept 50, dropped {dropped}; sent {result.FramesSent} frames and {result.AudioPacketsSent} audio packets; file {new FileInfo(file).Length} bytes");
        Assert.True(dropped >= result.FramesSent + result.AudioPacketsSent - 50 - (result.AudioPacketsSent / 10), $"dropped {dropped}");
        // The control exchange is kept whole: the TEARDOWN at the end is there.
        Assert.Contains(document.RootElement.GetProperty("control").EnumerateArray(), e => e.GetProperty("request").GetProperty("method").GetString() == "TEARDOWN");
    }

    [FfmpegFact]
    public async Task CaptureApi_StartsOnRequest_DownloadsLiveAndAfterTheEnd()
    {
        await using var host = await StartAsync();
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.PostAsync("/api/sessions/0123456789ab/capture", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/api/sessions/0123456789ab/capture")).StatusCode);

        var running = new AirPlaySenderSession(Phone(host.ControlPort, seconds: 4) with { Pin = null }).RunAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => host.Sessions.Sessions.Any(s => s.FramesReceived > 10));
        var id = host.Sessions.Sessions.Single().Id;

        // Before it is asked for, a capture holds the control exchange only.
        using (var before = JsonDocument.Parse(await http.GetByteArrayAsync($"/api/sessions/{id}/capture")))
        {
            Assert.True(before.RootElement.GetProperty("control").GetArrayLength() >= 10);
            Assert.Equal(0, before.RootElement.GetProperty("packets").GetArrayLength());
        }

        var started = await (await http.PostAsync($"/api/sessions/{id}/capture", null)).Content.ReadFromJsonAsync<CaptureInfo>();
        Assert.NotNull(started);
        Assert.True(started.RecordingPackets);
        Assert.False(started.Complete);
        await Eventually.TrueAsync(() => host.Sessions.Sessions.Single().FramesReceived > started.ControlEntries + 40);
        var live = await http.GetAsync($"/api/sessions/{id}/capture");
        Assert.Equal("application/json", live.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"capture-{id}.json", live.Content.Headers.ContentDisposition?.FileNameStar ?? live.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using (var during = JsonDocument.Parse(await live.Content.ReadAsByteArrayAsync()))
        {
            Assert.False(during.RootElement.GetProperty("capture").GetProperty("complete").GetBoolean());
            Assert.True(during.RootElement.GetProperty("packets").GetArrayLength() > 0);
        }

        Assert.True((await running).Ok);
        await Eventually.TrueAsync(() => host.Sessions.Count == 0);
        await Eventually.TrueAsync(() => host.App.Services.GetRequiredService<SessionCaptures>().Find(id)?.EndedAt is not null);
        using var after = JsonDocument.Parse(await http.GetByteArrayAsync($"/api/sessions/{id}/capture"));
        Assert.True(after.RootElement.GetProperty("capture").GetProperty("complete").GetBoolean());
        Assert.Equal("teardown", after.RootElement.GetProperty("session").GetProperty("endReason").GetString());
        Assert.Contains(after.RootElement.GetProperty("packets").EnumerateArray(), p => p.GetProperty("stream").GetString() == "audio");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.PostAsync($"/api/sessions/{id}/capture", null)).StatusCode);
    }

    /// <summary>Runs the simulator's command line, <c>replay</c>, as a user would; returns its exit code and output.</summary>
    private static async Task<(int Code, string Output)> RunReplayCliAsync(string capture, int port)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { System.IO.Path.Combine(AppContext.BaseDirectory, "Receiver.Sender.dll"), "replay", capture, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--vectors", SenderTestMedia.VectorsFolder, "--pin", ShownPin })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<bool> SessionsEndAsync(ReceiverHost host)
    {
        await Eventually.TrueAsync(() => host.Sessions.Count == 0);
        return true;
    }

    private static async Task<string> CaptureFileAsync(string directory)
    {
        string[] files = [];
        await Eventually.TrueAsync(() => (files = Directory.Exists(directory) ? Directory.GetFiles(directory, "capture-*.json") : []).Length == 1);
        return files[0];
    }

    private static string PathOf(string target)
    {
        var scheme = target.IndexOf("://", StringComparison.Ordinal);
        return scheme < 0 ? target : string.Empty;
    }

    private static Task<ReceiverHost> StartAsync(params string[] args) =>
        ReceiverHost.StartAsync(services => services.AddSingleton(new PinBoard(TimeProvider.System, new FixedPinSource(ShownPin))), args);

    private static SenderOptions Phone(int port, int seconds) => SenderTestMedia.LiveAudioOptions(port, seconds) with
    {
        DeviceId = PhoneId,
        Pin = SenderPin.Parse(ShownPin),
    };

    private static ReplayOptions ReplayOptions(ReceiverHost host) => new()
    {
        Host = "127.0.0.1",
        Port = host.ControlPort,
        FairPlayFile = SenderTestMedia.FairPlayFile,
        Pin = SenderPin.Parse(ShownPin),
    };
}
