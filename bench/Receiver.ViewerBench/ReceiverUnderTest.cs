using System.Net.Http.Json;
using System.Text.Json;

namespace Receiver.ViewerBench;

/// <summary>
/// The receiver as a user runs it (its Release build in its own process), on loopback with discovery off, senders
/// admitted without a PIN and the admin API trusted from loopback, and the sender simulator that mirrors to it.
/// </summary>
public sealed class ReceiverUnderTest : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http;
    private readonly string _repository;
    private readonly string _work;

    private ReceiverUnderTest(ChildProcess process, HttpClient http, string repository, string work, int controlPort, int webPort)
    {
        _process = process;
        _http = http;
        _repository = repository;
        _work = work;
        ControlPort = controlPort;
        WebPort = webPort;
    }

    public int ControlPort { get; }

    public int WebPort { get; }

    /// <summary>The viewer's origin: localhost is a secure context, so both players are available.</summary>
    public Uri WebUrl => new($"http://localhost:{WebPort}");

    public static async Task<ReceiverUnderTest> StartAsync(string repository, string work, CancellationToken cancellationToken)
    {
        int control = FreePort(), mirror = FreePort(), web = FreePort();
        var dll = Path.Combine(repository, "src/Receiver.Web/bin/Release/net10.0/Receiver.Web.dll");
        var process = ChildProcess.Start("dotnet",
        [
            dll, "--urls", $"http://127.0.0.1:{web}",
            $"--Receiver:ControlPort={control}", $"--Receiver:MirrorPort={mirror}",
            "--Receiver:Discovery:Enabled=false", "--Receiver:Web:EnableHttps=false",
            $"--Receiver:DataDirectory={Path.Combine(work, "data")}",
            "--Receiver:Access:Mode=open", "--Receiver:Viewer:Access=open", "--Receiver:Legacy:SenderTimingPort=0",
            "--Logging:LogLevel:Default=Warning",
        ], Path.Combine(work, "receiver.log"));
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{web}"), Timeout = TimeSpan.FromSeconds(5) };
        var receiver = new ReceiverUnderTest(process, http, repository, work, control, web);
        for (var i = 0; ; i++)
        {
            try
            {
                using var response = await http.GetAsync("/healthz", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return receiver;
                }
            }
            catch (HttpRequestException) when (i < 150 && !process.HasExited)
            {
            }

            if (i >= 150 || process.HasExited)
            {
                await receiver.DisposeAsync();
                throw new InvalidOperationException($"the receiver did not start; see {Path.Combine(work, "receiver.log")}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Starts the sender simulator: a phone (its own boot clock) sending the clip in real time.</summary>
    public ChildProcess StartSender(string clip, ClipSize size, bool sound, int seconds, string name)
    {
        var dll = Path.Combine(_repository, "tools/Receiver.Sender/bin/Release/net10.0/Receiver.Sender.dll");
        List<string> arguments =
        [
            dll, "mirror", "--host", "127.0.0.1", "--port", ControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--input", clip, "--fps", size.Fps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--clock", "boot", "--name", "Bench Phone", "--vectors", Path.Combine(_repository, "../shared/vectors"),
        ];
        if (sound)
        {
            arguments.Add("--audio");
        }

        return ChildProcess.Start("dotnet", arguments, Path.Combine(_work, $"sender-{name}.log"));
    }

    /// <summary>Waits for a session that has its video format; returns its id.</summary>
    public Task<string> WaitForSessionAsync(ISet<string> seen, TimeSpan timeout, CancellationToken cancellationToken) =>
        NewVideoSession.WaitAsync(_http, seen, timeout, TimeSpan.FromMilliseconds(50), cancellationToken);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return _process.DisposeAsync();
    }
}
