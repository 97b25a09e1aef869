using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Receiver.FaultBench;

/// <summary>
/// The receiver as a user runs it: its Release build in its own process, on free loopback ports, with discovery and
/// HTTPS off, senders admitted without a PIN and the admin API trusted from loopback. Disposing kills it (with its
/// children) and keeps its log in the work folder.
/// </summary>
public sealed class ReceiverProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pumps;

    private ReceiverProcess(Process process, StreamWriter log, int controlPort, int mirrorPort, int webPort, string logPath)
    {
        _process = process;
        _log = log;
        ControlPort = controlPort;
        MirrorPort = mirrorPort;
        WebPort = webPort;
        LogPath = logPath;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(10) };
        _pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public int Pid => _process.Id;

    public int ControlPort { get; }

    public int MirrorPort { get; }

    public int WebPort { get; }

    public string LogPath { get; }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once the process has exited on its own.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>
    /// Starts the receiver with <paramref name="options"/> (<c>--Receiver:…=…</c>) on top of the bench's own, and
    /// <paramref name="environment"/> (runtime settings such as <c>DOTNET_GCgen0size</c>) on top of this process's, and
    /// waits for <c>/healthz</c>.
    /// </summary>
    public static async Task<ReceiverProcess> StartAsync(
        string repository, string work, string name, IEnumerable<string> options, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        int control = FreePort(), mirror = FreePort(), web = FreePort();
        // bench/load.sh runs the receiver as published (RECEIVER_BENCH_DLL); otherwise the Release build.
        var dll = Environment.GetEnvironmentVariable("RECEIVER_BENCH_DLL") is { Length: > 0 } published
            ? published
            : Path.Combine(repository, "src/Receiver.Web/bin/Release/net10.0/Receiver.Web.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            dll, "--urls", $"http://127.0.0.1:{web}",
            $"--Receiver:ControlPort={control}", $"--Receiver:MirrorPort={mirror}",
            "--Receiver:Discovery:Enabled=false", "--Receiver:Web:EnableHttps=false",
            $"--Receiver:DataDirectory={Path.Combine(work, name + "-data")}",
            "--Receiver:Access:Mode=open", "--Receiver:Viewer:Access=open", "--Receiver:Legacy:SenderTimingPort=0",
            "--Logging:LogLevel:Default=Warning",
        ];
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[variable] = value;
        }

        foreach (var argument in arguments.Concat(options))
        {
            info.ArgumentList.Add(argument);
        }

        var logPath = Path.Combine(work, name + "-receiver.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException("the receiver did not start");
        var receiver = new ReceiverProcess(process, log, control, mirror, web, logPath);
        for (var i = 0; i < 300; i++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await receiver.Http.GetAsync("/healthz", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return receiver;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        await receiver.DisposeAsync();
        throw new InvalidOperationException($"the receiver did not start; see {logPath}");
    }

    /// <summary>Whether the receiver's own request (an RTSP <c>GET /info</c> on the control port, from 127.0.0.1) is answered 200.</summary>
    public async Task<bool> AnswersInfoAsync(CancellationToken cancellationToken) => await RtspInfo.TryAsync(IPAddress.Loopback, ControlPort, TimeSpan.FromSeconds(5), cancellationToken) is not null;

    /// <summary>The lines of the receiver's log that name an error, a crash or an unhandled exception.</summary>
    public IReadOnlyList<string> SevereLogLines()
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)
                || line.Contains("Unhandled exception", StringComparison.Ordinal))
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"receiver pid {Pid} (control {ControlPort}, mirror {MirrorPort}, web {WebPort})");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            await _pumps;
        }
        catch (InvalidOperationException)
        {
            // already reaped
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }
}
