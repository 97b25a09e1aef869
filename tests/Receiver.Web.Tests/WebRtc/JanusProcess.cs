using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>
/// A Janus started for one test by <c>deploy/janus/run-local.sh</c> on a free loopback port (HTTP API) with its own
/// range of ICE ports, offering loopback candidates only; stopped by its PID.
/// </summary>
public sealed class JanusProcess : IAsyncDisposable
{
    private readonly string _directory;

    private JanusProcess(int pid, int port, string directory)
    {
        Pid = pid;
        Port = port;
        _directory = directory;
    }

    /// <summary>Why Janus cannot run here, or null.</summary>
    public static string? Missing =>
        File.Exists("/usr/bin/janus") || File.Exists("/usr/local/bin/janus") ? null : "janus is not installed (./test.sh installs it)";

    public int Pid { get; }

    public int Port { get; }

    public Uri ApiUrl => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/janus"));

    /// <summary>Janus's output so far (for a failing test's message).</summary>
    public string Log => Directory.EnumerateFiles(_directory, "janus.log", SearchOption.AllDirectories).Select(File.ReadAllText).FirstOrDefault() ?? "";

    /// <summary>Starts Janus on <paramref name="port"/> (a free one when null) and waits until its API answers.</summary>
    public static async Task<JanusProcess> StartAsync(CancellationToken cancellationToken, int? port = null)
    {
        port ??= FreeTcpPort();
        var first = 40000 + (Random.Shared.Next(0, 200) * 100);
        var directory = Directory.CreateTempSubdirectory("janus-test-").FullName;
        var script = Path.Combine(TestPaths.RepositoryRoot, "deploy", "janus", "run-local.sh");
        var start = new ProcessStartInfo("bash", [script, port.Value.ToString(CultureInfo.InvariantCulture), "lo", string.Create(CultureInfo.InvariantCulture, $"{first}-{first + 99}")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TMPDIR"] = directory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("run-local.sh did not start");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !int.TryParse(output.Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            throw new InvalidOperationException($"run-local.sh failed ({process.ExitCode}): {output} {errors}");
        }

        var janus = new JanusProcess(pid, port.Value, directory);
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(janus.ApiUrl, "janus/info"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return janus;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        var log = janus.Log;
        await janus.DisposeAsync();
        throw new InvalidOperationException($"Janus did not answer on port {port}: {log}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OperationCanceledException)
        {
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
