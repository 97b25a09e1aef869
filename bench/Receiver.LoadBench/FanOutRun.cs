using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Receiver.FaultBench;
using Receiver.Sender.Audio;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;

namespace Receiver.LoadBench;

/// <summary>
/// N simulated senders × M WebSocket viewers per session against a receiver of its own: the senders start one after
/// another, the viewers join once every session has video, and after a warm-up one window is measured from outside
/// (<c>/proc</c>) and from the receiver's <c>/metrics</c>.
/// </summary>
public sealed class FanOutRun(LoadOptions options, string work)
{
    public async Task<FanOutResult> RunAsync(CancellationToken cancellationToken)
    {
        var clip = LoadClip.Named(options.Clip);
        var clipPath = await clip.EnsureAsync(Path.Combine(options.Repository, "bench/.cache"), options.ClipSeconds, cancellationToken);
        var viewersInAll = options.Senders * options.ViewersPerSession;
        string[] limits =
        [
            $"--Receiver:Sessions:Max={options.Senders}",
            $"--Receiver:Viewer:MaxViewersPerSession={Math.Max(1, options.ViewersPerSession)}",
            $"--Receiver:Viewer:MaxViewers={Math.Max(1, viewersInAll)}",

            // Every simulated sender comes from 127.0.0.1: the per-address caps, meant for one phone or a NAT, grow with them.
            $"--Receiver:Limits:MaxControlConnections={Math.Max(64, (4 * options.Senders) + 8)}",
            $"--Receiver:Limits:MaxControlConnectionsPerAddress={(4 * options.Senders) + 8}",
            $"--Receiver:Limits:MaxMirrorConnections={Math.Max(16, (2 * options.Senders) + 4)}",
            $"--Receiver:Limits:MaxMirrorConnectionsPerAddress={(2 * options.Senders) + 4}",
        ];
        if (options.PerfMap)
        {
            // Read by the receiver's runtime when it starts (a child inherits the environment); this process is already running.
            Environment.SetEnvironmentVariable("DOTNET_PerfMapEnabled", "1");
            Environment.SetEnvironmentVariable("DOTNET_EnableWriteXorExecute", "0");
        }

        if (options.Pin is { } pin)
        {
            await pin.BeforeReceiverStartsAsync(cancellationToken);
        }

        await using var receiver = await ReceiverProcess.StartAsync(options.Repository, work, "fanout", limits.Concat(options.ReceiverOptions), cancellationToken, options.ReceiverEnvironment);
        if (options.ReceiverEnvironment.Count > 0)
        {
            await Console.Error.WriteLineAsync($"receiver environment: {string.Join(' ', options.ReceiverEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
        }

        if (options.Pin is { } pinned)
        {
            await pinned.AfterReceiverStartedAsync(cancellationToken);
            await Console.Error.WriteLineAsync($"pinned: {pinned}");
        }

        await Console.Error.WriteLineAsync($"fan-out: {receiver}; {options.Senders} × {clip.Describe()} {(options.Fast ? "as fast as taken" : "in real time")}, {options.ViewersPerSession} viewers per session ({options.StalledPerSession} stalled)");
        if (options.WarmStreamSeconds is not <= 0)
        {
            var warm = await new AirPlaySenderSession(SenderOptions(receiver.ControlPort, clipPath, clip.Fps, options.WarmStreamSeconds, -1) with { Fast = true }).RunAsync(cancellationToken);
            await Console.Error.WriteLineAsync($"warm-up stream: {(warm.Ok ? "ok" : warm.Error)}");

            // The pages the run reads too, often enough for the JIT to finish their tiers before the window.
            for (var i = 0; i < 40; i++)
            {
                await receiver.Http.GetStringAsync("/api/sessions", cancellationToken);
                await RuntimeReading.ReadAsync(receiver.Http, cancellationToken);
            }

            await Task.Delay(2000, cancellationToken);
        }

        var idle = ProcessSample.Read(receiver.Pid);

        // The profiler attaches before the senders start, so that a stream sent as fast as taken is in it from its first packet.
        using var trace = StartTrace(receiver.Pid);
        if (trace is not null)
        {
            await Task.Delay(2000, cancellationToken);
        }

        var jitMap = JitMapSnapshot.Take(receiver.Pid);

        using var stopSenders = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        double? senderSeconds = options.Fast ? null : options.WarmupSeconds + options.Seconds + 20;
        var senders = new List<Task<SenderResult>>();
        for (var i = 0; i < options.Senders; i++)
        {
            senders.Add(new AirPlaySenderSession(SenderOptions(receiver.ControlPort, clipPath, clip.Fps, senderSeconds, i)).RunAsync(stopSenders.Token));
            await Task.Delay(200, cancellationToken);
        }

        var sessionIds = await WaitForSessionsAsync(receiver.Http, options.Senders, senders, cancellationToken);
        var viewers = new List<LoadViewer>();
        foreach (var sessionId in sessionIds)
        {
            for (var v = 0; v < options.ViewersPerSession; v++)
            {
                var viewer = LoadViewer.Create(options.Client, new Uri($"http://127.0.0.1:{receiver.WebPort}"), sessionId, options.Modes[v % options.Modes.Count], stalled: v < options.StalledPerSession, options.ReceiveBuffer);
                await viewer.ConnectAsync(cancellationToken);
                viewers.Add(viewer);
            }
        }

        using var stopViewers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        List<Task> reading = options.Client == "raw"
            ? [RawViewerLoop.RunAsync(viewers.Cast<RawWebSocketViewer>().ToList(), options.ViewerThreads, stopViewers.Token, TimeSpan.FromMilliseconds(options.ReadIntervalMs), options.ViewerNice)]
            : viewers.Cast<ClientWebSocketViewer>().Select(v => Task.Run(() => v.RunAsync(stopViewers.Token), cancellationToken)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);

        var runtimeBefore = await RuntimeReading.ReadAsync(receiver.Http, cancellationToken);
        var before = ProcessSample.Read(receiver.Pid);
        var driverBefore = ProcessSample.Read(Environment.ProcessId);
        var bytesBefore = viewers.Sum(v => v.BytesReceived);
        foreach (var viewer in viewers)
        {
            viewer.StartMeasuring();
        }

        var peakResident = before.ResidentBytes;
        var window = TimeSpan.FromSeconds(options.Seconds);
        var start = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(start) is var elapsed && elapsed < window)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp((window - elapsed).TotalMilliseconds, 1, 1000)), cancellationToken);
            peakResident = Math.Max(peakResident, ProcessSample.Read(receiver.Pid).ResidentBytes);
        }

        foreach (var viewer in viewers)
        {
            viewer.StopMeasuring();
        }

        var after = ProcessSample.Read(receiver.Pid);
        var driverAfter = ProcessSample.Read(Environment.ProcessId);
        var viewerBytes = viewers.Sum(v => v.BytesReceived) - bytesBefore;
        if (trace is not null)
        {
            await trace.WaitForExitAsync(cancellationToken);
            await Console.Error.WriteLineAsync($"profiler over the window exited with {trace.ExitCode}");
        }

        if (jitMap?.WriteCompiledSince(Path.Combine(work, "jit-during-run.txt")) is { } compiled)
        {
            await Console.Error.WriteLineAsync($"method bodies the JIT compiled from the senders' start to the window's end: {compiled} (listed in {Path.Combine(work, "jit-during-run.txt")})");
        }

        var runtimeAfter = await RuntimeReading.ReadAsync(receiver.Http, cancellationToken);
        var memory = MemoryBreakdown.Read(receiver.Pid, runtimeAfter);
        await Console.Error.WriteLineAsync($"receiver memory at the end: {memory}");
        var liveSessions = await CountLiveSessionsAsync(receiver.Http, cancellationToken);

        await stopViewers.CancelAsync();
        await Task.WhenAll(reading);

        // A sender that ended during the run and failed is reported (in real time each sends longer than the run); the
        // others are stopped here.
        var senderErrors = new List<string>();
        foreach (var sender in senders.Where(s => s.IsCompleted))
        {
            var result = await sender;
            if (!result.Ok)
            {
                senderErrors.Add(result.Error ?? "failed");
            }
        }

        await stopSenders.CancelAsync();
        try
        {
            await Task.WhenAll(senders);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var viewer in viewers)
        {
            viewer.Dispose();
        }

        return FanOutResult.From(options, clip, viewers, idle, before, after, peakResident, driverBefore, driverAfter, viewerBytes, runtimeBefore, runtimeAfter, memory, liveSessions,
            senderErrors.Distinct().ToList());
    }

    /// <summary>The profiler on the receiver for the measured window, when asked for.</summary>
    private System.Diagnostics.Process? StartTrace(int pid)
    {
        if (options.TraceCommand is null)
        {
            return null;
        }

        var words = options.TraceCommand
            .Replace("{pid}", pid.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{seconds}", Math.Ceiling(options.WarmupSeconds + options.Seconds + 4).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var info = new System.Diagnostics.ProcessStartInfo(words[0]) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var word in words.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"{words[0]} did not start");
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    private SenderOptions SenderOptions(int port, string clipPath, int fps, double? seconds, int index) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Video = VideoSourceSpec.ForFile(clipPath, fps),
        Seconds = seconds,
        Fast = options.Fast,
        Audio = false,
        AudioFramesFile = Path.Combine(options.Vectors, "audio", AacEldFrames.AirPlayStandInFile),
        FairPlayFile = Path.Combine(options.Vectors, "fairplay.json"),
        Name = string.Create(CultureInfo.InvariantCulture, $"Load Phone {index + 1}"),
        StepTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Waits until <paramref name="count"/> live sessions have video; fails when a sender gave up first.</summary>
    private static async Task<IReadOnlyList<string>> WaitForSessionsAsync(HttpClient http, int count, List<Task<SenderResult>> senders, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 600; i++)
        {
            var ids = new List<string>();
            foreach (var session in (await http.GetFromJsonAsync<JsonElement>("/api/sessions", cancellationToken)).EnumerateArray())
            {
                if (session.TryGetProperty("codec", out var codec) && codec.ValueKind == JsonValueKind.String)
                {
                    ids.Add(session.GetProperty("id").GetString()!);
                }
            }

            if (ids.Count >= count)
            {
                return ids;
            }

            if (senders.FirstOrDefault(s => s.IsCompleted) is { } ended)
            {
                var result = await ended;
                throw new InvalidOperationException($"a sender ended before every session had video: {result.Error ?? "no error"}");
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"{count} sessions with video did not appear within a minute");
    }

    private static async Task<int> CountLiveSessionsAsync(HttpClient http, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/sessions", cancellationToken)).GetArrayLength();
}
