using System.CommandLine;
using Receiver.Core.Media;
using Receiver.Sender;
using Receiver.Sender.Audio;
using Receiver.Sender.Discovery;
using Receiver.Sender.Legacy;
using Receiver.Sender.Sessions;
using Receiver.Sender.Timing;
using Receiver.Sender.Video;

var host = new Option<string>("--host") { Description = "Receiver address", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--port") { Description = "Receiver control (RTSP) port", DefaultValueFactory = _ => 7000 };
var input = new Option<string?>("--input") { Description = "Video file: .h264/.h265 (Annex-B) or a container such as .mp4" };
var pattern = new Option<string?>("--pattern") { Description = "Live ffmpeg test pattern WxH@R, e.g. 1280x720@60 (the default when no --input)" };
var seconds = new Option<double?>("--seconds") { Description = "Media time to send (default: the whole file, or 10 s of pattern)" };
var codec = new Option<string>("--codec") { Description = "h264 or h265", DefaultValueFactory = _ => "h264" };
codec.AcceptOnlyFromAmong("h264", "h265");
var audio = new Option<bool>("--audio") { Description = "Also send the AAC-ELD audio stream" };
var audioCodec = new Option<string>("--audio-codec") { Description = "Audio codec: eld (AAC-ELD frames from the vectors), alac or aac (a 1 kHz tone)", DefaultValueFactory = _ => "eld" };
audioCodec.AcceptOnlyFromAmong([.. SenderAudioCodec.Names]);
var beeps = new Option<bool>("--beeps") { Description = "With --audio-codec alac or aac: the tone sounds for 50 ms of every 0.88 s (ALAC) or 0.85 s (AAC) instead of all the time, so a sound's arrival can be timed" };
var loss = new Option<string?>("--loss") { Description = "Withhold (and reorder) this share of audio packets until the receiver asks for them, e.g. 2%" };
var rotateAt = new Option<double?>("--rotate-at") { Description = "Switch the pattern to portrait after this many seconds" };
var fast = new Option<bool>("--fast") { Description = "Send as fast as possible instead of in real time" };
var sessions = new Option<int>("--sessions") { Description = "Number of concurrent senders", DefaultValueFactory = _ => 1 };
var pairing = new Option<string>("--pairing") { Description = "auto (pair when features bit 27 is set), legacy (always) or none", DefaultValueFactory = _ => "auto" };
pairing.AcceptOnlyFromAmong("auto", "legacy", "none");
var fairPlayCase = new Option<string>("--fairplay-case") { Description = "ekey_decrypt case from fairplay.json", DefaultValueFactory = _ => "gen-00" };
var vectors = new Option<string?>("--vectors") { Description = "Folder with fairplay.json and audio/ (default: ../shared/vectors beside the repository)" };
var fps = new Option<double>("--fps") { Description = "Frame rate of file inputs", DefaultValueFactory = _ => 30 };
var name = new Option<string>("--name") { Description = "Sender name", DefaultValueFactory = _ => "Simulated iPhone" };
var json = new Option<string?>("--json") { Description = "Write the JSON summary to this file" };
var heartbeats = new Option<bool>("--heartbeats") { Description = "Send type-2 heartbeat packets every second (old senders; iPhones do not)" };
var dumpSent = new Option<string?>("--dump-sent") { Description = "Write every NAL unit sent as Annex-B to this file" };
var clock = new Option<string>("--clock")
{
    Description = "Sender clock: boot (an iPhone's uptime clock, random 1 h..30 d), wall (the wall clock in NTP form) or offset:SECONDS (NTP seconds start there)",
    DefaultValueFactory = _ => SimulatedSenderClock.DefaultSpec,
};
var clockDrift = new Option<double>("--clock-drift-ppm") { Description = "Sender clock runs this many ppm fast (negative: slow); media is paced on it", DefaultValueFactory = _ => 0 };
var noTimingReplies = new Option<bool>("--no-timing-replies") { Description = "Never answer the receiver's timing (NTP) requests, like macOS 15.2 and some iPads" };

var abortAt = new Option<string?>("--abort") { Description = "Stop on purpose at STEP:MODE (before-setup|mid-setup|mid-stream|mid-audio : reset|silent)" };
var mirror = new Command("mirror", "Mirror a screen to a receiver the way an iPhone does")
{
    host, port, input, pattern, seconds, codec, audio, audioCodec, beeps, loss, rotateAt, fast, sessions, pairing, fairPlayCase, vectors, fps, name, json, dumpSent, heartbeats, clock, clockDrift, noTimingReplies, abortAt,
};
var legacyMode = LegacyCommandLine.AddTo(mirror);
var pairingOptions = PairingCommandLine.AddTo(mirror);
var quirkOptions = QuirkCommandLine.AddTo(mirror);
mirror.SetAction(async (ParseResult r, CancellationToken ct) =>
{
    var vectorDir = r.GetValue(vectors) ?? SharedFiles.LocateVectors();
    if (vectorDir is null || !File.Exists(Path.Combine(vectorDir, "fairplay.json")))
    {
        await Console.Error.WriteLineAsync("fairplay.json not found: pass --vectors <folder> or set AIRPLAY_VECTORS.");
        return 2;
    }

    VideoSourceSpec spec;
    try
    {
        spec = r.GetValue(input) is { } file
            ? VideoSourceSpec.ForFile(file, r.GetValue(fps))
            : VideoSourceSpec.ParsePattern(r.GetValue(pattern) ?? "1280x720@30");
        spec = spec with { RotateAt = r.GetValue(rotateAt) };
    }
    catch (FormatException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return 2;
    }

    var options = new SenderOptions
    {
        Host = r.GetValue(host)!,
        Port = r.GetValue(port),
        Video = spec,
        Codec = r.GetValue(codec) == "h265" ? VideoCodec.H265 : VideoCodec.H264,
        Seconds = r.GetValue(seconds),
        Fast = r.GetValue(fast),
        Audio = r.GetValue(audio),
        AudioCodec = SenderAudioCodec.Parse(r.GetValue(audioCodec)!),
        ToneBeeps = r.GetValue(beeps),
        AudioLoss = ParseShare(r.GetValue(loss)),
        AudioFramesFile = Path.Combine(vectorDir, "audio", AacEldFrames.AirPlayStandInFile),
        Pairing = Enum.Parse<PairingMode>(r.GetValue(pairing)!, ignoreCase: true),
        FairPlayFile = Path.Combine(vectorDir, "fairplay.json"),
        FairPlayCase = r.GetValue(fairPlayCase)!,
        Name = r.GetValue(name)!,
        DumpSentPath = r.GetValue(dumpSent),
        Heartbeats = r.GetValue(heartbeats),
        Clock = r.GetValue(clock)!,
        ClockDriftPpm = r.GetValue(clockDrift),
        TimingReplies = !r.GetValue(noTimingReplies),
    };
    try
    {
        options = pairingOptions.Bind(r, options);
        options = quirkOptions.Bind(r, options);
        options = options with { Abort = r.GetValue(abortAt) is { } abortText ? SenderAbort.Parse(abortText) : null };
    }
    catch (FormatException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return 2;
    }

    try
    {
        SimulatedSenderClock.Parse(options.Clock, options.ClockDriftPpm, TimeProvider.System);
    }
    catch (FormatException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return 2;
    }
    catch (ArgumentOutOfRangeException)
    {
        await Console.Error.WriteLineAsync("--clock-drift-ppm must be a finite number above -1000000.");
        return 2;
    }

    var count = r.GetValue(sessions);
    if (count < 1)
    {
        await Console.Error.WriteLineAsync("--sessions must be at least 1.");
        return 2;
    }

    var legacyOptions = legacyMode.Bind(r, options);
    if (legacyOptions?.Validate() is { } legacyProblem)
    {
        await Console.Error.WriteLineAsync(legacyProblem);
        return 2;
    }

    var summary = legacyOptions is not null ? await LegacySessionRunner.RunAsync(legacyOptions, count, ct) : await MultiSessionRunner.RunAsync(options, count, ct);
    if (count == 1)
    {
        var session = summary.Sessions[0];
        foreach (var step in session.Steps)
        {
            Console.WriteLine($"{(step.Ok ? "ok  " : "FAIL")} {step.Name,-18} {step.Status,3} {step.DurationMs,9:F1} ms {step.Detail}");
        }

        Console.WriteLine($"clock {session.Clock}, timing replies {(session.TimingReplies ? "on" : "off")} ({session.TimingRequestsAnswered} answered, {session.TimingRequestsIgnored} ignored)");
        Console.WriteLine($"frames {session.FramesSent}, bytes {session.BytesSent}, audio packets {session.AudioPacketsSent} (resend requests {session.AudioResendRequests}, retransmitted {session.AudioRetransmits}), formats [{string.Join(", ", session.Formats)}], {session.DurationSeconds:F2} s");
        if (session.Error is not null)
        {
            await Console.Error.WriteLineAsync(session.Error);
        }
    }
    else
    {
        Console.WriteLine(summary.ToJson());
    }

    if (r.GetValue(json) is { } jsonPath)
    {
        await File.WriteAllTextAsync(jsonPath, summary.ToJson(), ct);
    }

    return summary.Ok ? 0 : 1;
});

var iface = new Option<string>("--interface") { Description = "Network interface to query on", DefaultValueFactory = _ => "lo" };
var service = new Option<string>("--service") { Description = "Service type to browse", DefaultValueFactory = _ => "_airplay._tcp.local" };
var window = new Option<double>("--timeout") { Description = "Seconds to collect answers", DefaultValueFactory = _ => 3 };
var discover = new Command("discover", "Send an mDNS PTR query and print the answers") { iface, service, window };
discover.SetAction(async (ParseResult r, CancellationToken ct) =>
{
    try
    {
        var lines = await MdnsBrowser.BrowseAsync(r.GetValue(service)!, r.GetValue(iface)!, TimeSpan.FromSeconds(r.GetValue(window)), ct);
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        return lines.Count > 0 ? 0 : 1;
    }
    catch (ArgumentException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return 2;
    }
});

var captureFile = new Argument<string>("capture") { Description = "A protocol capture (capture-<session>.json from the receiver)" };
var pace = new Option<bool>("--pace") { Description = "Keep the captured pauses between requests (at most 5 s each) instead of sending at once" };
var replayHost = new Option<string>("--host") { Description = "Receiver address", DefaultValueFactory = _ => "127.0.0.1" };
var replayPort = new Option<int>("--port") { Description = "Receiver control (RTSP) port", DefaultValueFactory = _ => 7000 };
var replayCase = new Option<string>("--fairplay-case") { Description = "ekey_decrypt case from fairplay.json for the fresh FairPlay messages and ekey", DefaultValueFactory = _ => "gen-00" };
var replayVectors = new Option<string?>("--vectors") { Description = "Folder with fairplay.json (default: ../shared/vectors beside the repository)" };
var replay = new Command("replay", "Replay a protocol capture's control exchange against a receiver, with fresh secrets, and compare each status with the captured one")
{
    captureFile, replayHost, replayPort, replayCase, replayVectors, pace,
};
var replayPairing = PairingCommandLine.AddTo(replay);
replay.SetAction(async (ParseResult r, CancellationToken ct) =>
{
    var vectorDir = r.GetValue(replayVectors) ?? SharedFiles.LocateVectors();
    if (vectorDir is null || !File.Exists(Path.Combine(vectorDir, "fairplay.json")))
    {
        await Console.Error.WriteLineAsync("fairplay.json not found: pass --vectors <folder> or set AIRPLAY_VECTORS.");
        return 2;
    }

    Receiver.Sender.Replay.CaptureFile capture;
    SenderOptions identity;
    try
    {
        capture = Receiver.Sender.Replay.CaptureFile.Load(r.GetValue(captureFile)!);
        identity = replayPairing.Bind(r, new SenderOptions { Host = r.GetValue(replayHost)!, Video = VideoSourceSpec.ParsePattern("16x16@1"), FairPlayFile = Path.Combine(vectorDir, "fairplay.json") });
    }
    catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"{r.GetValue(captureFile)}: {e.Message}");
        return 2;
    }

    var options = new Receiver.Sender.Replay.ReplayOptions
    {
        Host = r.GetValue(replayHost)!,
        Port = r.GetValue(replayPort),
        FairPlayFile = Path.Combine(vectorDir, "fairplay.json"),
        FairPlayCase = r.GetValue(replayCase)!,
        Pin = identity.Pin,
        AdminUrl = identity.AdminUrl,
        ApiKey = identity.ApiKey,
        Password = identity.Password,
        DeviceId = identity.DeviceId,
        IdentityFile = identity.IdentityFile,
        Pace = r.GetValue(pace),
    };
    Console.WriteLine($"capture of session {capture.SessionId ?? "?"} from receiver {capture.ReceiverVersion}: {capture.Requests.Count} requests{(capture.DroppedControlEntries > 0 ? $" ({capture.DroppedControlEntries} dropped beyond the capture's cap, not replayed)" : string.Empty)}");
    Receiver.Sender.Replay.ReplayResult result;
    try
    {
        result = await new Receiver.Sender.Replay.CaptureReplay(options).RunAsync(capture, ct);
    }
    catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ArgumentException)
    {
        await Console.Error.WriteLineAsync($"replay: {e.Message}");
        return 2;
    }

    foreach (var step in result.Steps)
    {
        Console.WriteLine(step);
    }

    Console.WriteLine(result.Ok ? $"all {result.Steps.Count} statuses as captured" : $"{result.Differences} of {result.Steps.Count} statuses differ from the capture");
    return result.Ok ? 0 : 1;
});

var castUrl = new Option<string?>("--url") { Description = "Video URL to cast (default: an ffmpeg clip this simulator serves on loopback)" };
var castTitle = new Option<string?>("--title") { Description = "Title sent with the video", DefaultValueFactory = _ => "Simulated video" };
var castWait = new Option<double>("--start-timeout") { Description = "Seconds to wait for a viewer page to start the video", DefaultValueFactory = _ => 60 };
var youtubeLike = new Option<bool>("--youtube-like") { Description = "Cast like the YouTube app: an mlhls:// master playlist whose playlists (condensed, two variants, one audio rendition) the receiver asks for over the reverse channel" };
var castCors = new Option<bool>("--cors") { Description = "The simulator's media server lets pages of any origin read its files (Access-Control-Allow-Origin), so the receiver's pages may fetch HLS segments from it directly" };
var castStartPosition = new Option<double?>("--start-position") { Description = "Send /play in the older text/parameters form with Start-Position F, a fraction of the video (0 to 1)" };
var castRequiresViewer = new Option<bool>("--requires-viewer") { Description = "Ask the receiver to refuse the cast (503) rather than wait when no viewer page is open" };
var cast = new Command("cast", "Cast a video the way an iPhone hands one over (POST /play), then pause, seek, resume and stop it")
{
    host, port, castUrl, castTitle, castWait, youtubeLike, castCors, castStartPosition, castRequiresViewer,
};
cast.SetAction(async (ParseResult r, CancellationToken ct) =>
{
    Receiver.Sender.Casting.CastMediaServer? server = null;
    string? folder = null;
    try
    {
        Uri url;
        Receiver.Sender.Casting.CastHlsSet? playlists = null;
        if (r.GetValue(youtubeLike))
        {
            folder = await Receiver.Sender.Casting.CastHlsSet.WriteAsync(Path.Combine(Path.GetTempPath(), "airplay-cast-" + Guid.NewGuid().ToString("N")), ct);
            server = Receiver.Sender.Casting.CastMediaServer.Start(folder, cors: r.GetValue(castCors));
            playlists = Receiver.Sender.Casting.CastHlsSet.Open(folder, server.UrlOf(string.Empty));
            url = new Uri(Receiver.Sender.Casting.CastHlsSet.MasterUrl);
        }
        else if (r.GetValue(castUrl) is { } given)
        {
            url = new Uri(given);
        }
        else
        {
            folder = Path.Combine(Path.GetTempPath(), "airplay-cast-" + Guid.NewGuid().ToString("N"));
            await Receiver.Sender.Casting.CastClip.WriteMp4Async(folder, 20, ct);
            server = Receiver.Sender.Casting.CastMediaServer.Start(folder, cors: r.GetValue(castCors));
            url = server.UrlOf("clip.mp4");
        }

        var scriptOptions = new Receiver.Sender.Casting.CastScriptOptions
        {
            Title = r.GetValue(castTitle),
            StartTimeout = TimeSpan.FromSeconds(r.GetValue(castWait)),
            Playlists = playlists,
            TextStartFraction = r.GetValue(castStartPosition),
            RequiresViewer = r.GetValue(castRequiresViewer),
        };
        var problems = await Receiver.Sender.Casting.CastScript.RunAsync(r.GetValue(host)!, r.GetValue(port), url, scriptOptions, Console.Out, ct);
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync(problem);
        }

        return problems.Count == 0 ? 0 : 1;
    }
    finally
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (folder is not null)
        {
            Directory.Delete(folder, recursive: true);
        }
    }
});

var root = new RootCommand("AirPlay sender simulator: plays an iPhone's side of screen mirroring and video casting") { mirror, discover, replay, cast };
return await root.Parse(args).InvokeAsync();

static double ParseShare(string? text)
{
    if (string.IsNullOrWhiteSpace(text))
    {
        return 0;
    }

    var percent = text.EndsWith('%');
    var value = double.Parse(percent ? text[..^1] : text, System.Globalization.CultureInfo.InvariantCulture);
    return Math.Clamp(percent || value > 1 ? value / 100 : value, 0, 1);
}
