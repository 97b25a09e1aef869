using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Receiver.ViewerBench;

namespace Receiver.WebRtcBench;

/// <summary>
/// Janus (deploy/janus/run-local.sh, ICE on the given interface only) and the receiver (its Release build, WebRTC
/// through that Janus, listening on the LAN address and on loopback), started in the network namespace this program
/// runs in, and the phone-like sender simulator that mirrors to it.
/// </summary>
public sealed class Rig : IAsyncDisposable
{
    public const int WebPort = 8080;
    public const int ControlPort = 7000;
    public const int JanusPort = 8088;
    private readonly ChildProcess _receiver;
    private readonly int _janusPid;
    private readonly string _repository;
    private readonly string _work;
    private readonly HttpClient _http;

    private Rig(ChildProcess receiver, int janusPid, string repository, string work, string pageHost)
    {
        _receiver = receiver;
        _janusPid = janusPid;
        _repository = repository;
        _work = work;
        PageUrl = new Uri($"http://{pageHost}:{WebPort}");
        _http = new HttpClient { BaseAddress = LocalUrl, Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Where the viewer (another machine) opens the page.</summary>
    public Uri PageUrl { get; }

    /// <summary>The receiver on this machine's loopback (API and the sender-side probe).</summary>
    public static Uri LocalUrl { get; } = new($"http://127.0.0.1:{WebPort}");

    public int ReceiverPid => _receiver.Id;

    public int JanusPid => _janusPid;

    public static async Task<Rig> StartAsync(string repository, string work, string pageHost, string iceInterface, CancellationToken cancellationToken)
    {
        var janus = ChildProcess.Start("env",
        [
            $"TMPDIR={work}", "bash", Path.Combine(repository, "deploy/janus/run-local.sh"),
            JanusPort.ToString(CultureInfo.InvariantCulture), iceInterface, "40000-40999",
        ], Path.Combine(work, "janus-start.log"));
        await janus.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await janus.DisposeAsync();
        var janusPid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(work, "janus-start.log"), cancellationToken)).Last(l => l.Trim().Length > 0).Trim(), CultureInfo.InvariantCulture);

        var dll = Path.Combine(repository, "src/Receiver.Web/bin/Release/net10.0/Receiver.Web.dll");
        var receiver = ChildProcess.Start("dotnet",
        [
            dll, "--urls", $"http://{pageHost}:{WebPort};http://127.0.0.1:{WebPort}",
            $"--Receiver:ControlPort={ControlPort}", "--Receiver:MirrorPort=0",
            "--Receiver:Discovery:Enabled=false", "--Receiver:Web:EnableHttps=false",
            $"--Receiver:DataDirectory={Path.Combine(work, "data")}",
            "--Receiver:Access:Mode=open", "--Receiver:Viewer:Access=open", "--Receiver:Legacy:SenderTimingPort=0",
            $"--Receiver:WebRtc:JanusUrl=http://127.0.0.1:{JanusPort}/janus", "--Receiver:WebRtc:MaxViewers=256",
            "--Logging:LogLevel:Default=Warning",
        ], Path.Combine(work, "receiver.log"));
        var rig = new Rig(receiver, janusPid, repository, work, pageHost);
        for (var i = 0; ; i++)
        {
            try
            {
                var ready = await rig._http.GetStringAsync("/readyz", cancellationToken);
                if (ready.Contains("\"janus\":\"reachable\"", StringComparison.Ordinal))
                {
                    return rig;
                }
            }
            catch (HttpRequestException) when (i < 300 && !receiver.HasExited)
            {
            }

            if (i >= 300 || receiver.HasExited)
            {
                await rig.DisposeAsync();
                throw new InvalidOperationException($"the receiver did not get ready with Janus; see {work}/receiver.log and {work}/janus-*/janus.log");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>A phone (its own boot clock) sending the clip in real time, with a beeping ALAC tone when <paramref name="sound"/>.</summary>
    public ChildProcess StartSender(string clip, int fps, int seconds, bool sound, string name)
    {
        var dll = Path.Combine(_repository, "tools/Receiver.Sender/bin/Release/net10.0/Receiver.Sender.dll");
        List<string> arguments =
        [
            dll, "mirror", "--host", "127.0.0.1", "--port", ControlPort.ToString(CultureInfo.InvariantCulture),
            "--input", clip, "--fps", fps.ToString(CultureInfo.InvariantCulture),
            "--seconds", seconds.ToString(CultureInfo.InvariantCulture),
            "--clock", "boot", "--name", "Bench Phone", "--vectors", Path.Combine(_repository, "../shared/vectors"),
        ];
        if (sound)
        {
            arguments.AddRange(["--audio", "--audio-codec", "alac", "--beeps"]);
        }

        return ChildProcess.Start("dotnet", arguments, Path.Combine(_work, $"sender-{name}.log"));
    }

    /// <summary>Waits for a new session with its first picture (and its mountpoint in Janus); returns its id.</summary>
    public Task<string> WaitForSessionAsync(ISet<string> seen, TimeSpan timeout, CancellationToken cancellationToken) =>
        NewVideoSession.WaitAsync(_http, seen, timeout, TimeSpan.FromMilliseconds(20), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
        try
        {
            using var janus = System.Diagnostics.Process.GetProcessById(_janusPid);
            janus.Kill();
            await janus.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OperationCanceledException)
        {
        }
    }
}
