using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Security;

/// <summary>
/// The receiver as a network sees it: a receiver process in a private network namespace listens on a non-loopback
/// address (10.213.7.1 on the namespace's own <c>lo</c>) and on 127.0.0.1; curl, in the same namespace, asks from each.
/// Nothing touches the machine's interfaces, and discovery is off.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class NetworkNamespaceAuthTests(ITestOutputHelper output)
{
    private const string Address = "10.213.7.1";
    private const string Key = "namespace-key";
    private const string Password = "namespace password";
    private static readonly string Remote = $"http://{Address}:8080";
    private static readonly string Local = "http://127.0.0.1:8080";

    [NamespaceFact]
    public async Task FromANonLoopbackAddress_AdminNeedsCredentials_AndTheMediaSocketAToken()
    {
        await using var ns = await Namespace.CreateAsync(output);
        await ns.StartReceiverAsync($"--Receiver:Admin:ApiKey={Key}", $"--Receiver:Admin:Password={Password}");

        Assert.Equal("401", await ns.CurlAsync($"{Remote}/api/sessions"));
        Assert.Equal("200", await ns.CurlAsync($"{Remote}/api/sessions", "-H", $"X-Api-Key: {Key}"));
        Assert.Equal("401", await ns.CurlAsync($"{Remote}/api/sessions", "-H", "X-Api-Key: wrong"));
        Assert.Equal("200", await ns.CurlAsync($"{Local}/api/sessions"));

        var jar = Path.Combine(ns.Directory, "cookies.txt");
        Assert.Equal("204", await ns.CurlAsync($"{Remote}/auth/sign-in", "-c", jar, "-H", "Content-Type: application/json", "--data", JsonSerializer.Serialize(new { secret = Password })));
        Assert.Equal("200", await ns.CurlAsync($"{Remote}/api/sessions", "-b", jar));

        string[] upgrade = ["-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="];
        Assert.Equal("401", await ns.CurlAsync($"{Remote}/ws/sessions/000000000000/media", upgrade));
        Assert.Equal("401", await ns.CurlAsync($"{Remote}/ws/sessions/current/media", upgrade));
        Assert.Equal("401", await ns.CurlAsync($"{Remote}/ws/sessions/000000000000/media?token=forged", upgrade));

        var body = Path.Combine(ns.Directory, "link.json");
        Assert.Equal("201", await ns.CurlAsync($"{Remote}/api/view-links", "-X", "POST", "-H", $"X-Api-Key: {Key}", "-o", body));
        var token = JsonDocument.Parse(await File.ReadAllTextAsync(body)).RootElement.GetProperty("token").GetString();
        // With a valid receiver-wide token the request gets past authorization: nothing is mirrored, so 404.
        Assert.Equal("404", await ns.CurlAsync($"{Remote}/ws/sessions/current/media?token={token}", upgrade));
        Assert.Equal("403", await ns.CurlAsync($"{Remote}/ws/sessions/current/media?token={token}", [.. upgrade, "-H", "Origin: http://evil.example"]));
        Assert.Equal("403", await ns.CurlAsync($"{Remote}/api/sessions?token={token}"));

        Assert.Equal("204", await ns.CurlAsync($"{Remote}/api/view-links", "-X", "DELETE", "-H", $"X-Api-Key: {Key}"));
        Assert.Equal("401", await ns.CurlAsync($"{Remote}/ws/sessions/current/media?token={token}", upgrade));
        Assert.Equal("200", await ns.CurlAsync($"{Remote}/healthz"));
    }

    /// <summary>A private network namespace with lo up and <see cref="Address"/> on it, and a receiver process inside.</summary>
    private sealed class Namespace : IAsyncDisposable
    {
        private readonly string _name;
        private readonly ITestOutputHelper _output;
        private Process? _receiver;
        private readonly System.Text.StringBuilder _log = new();

        private Namespace(string name, ITestOutputHelper output)
        {
            _name = name;
            _output = output;
            Directory = System.IO.Directory.CreateTempSubdirectory("airplay-auth-netns-").FullName;
        }

        public string Directory { get; }

        public static async Task<Namespace> CreateAsync(ITestOutputHelper output)
        {
            var ns = new Namespace($"airplay-auth-{Environment.ProcessId}-{Random.Shared.Next(100000):D5}", output);
            await ns.RunAsync("flock", "/tmp/airplay-netns.lock", "ip", "netns", "add", ns._name);
            await ns.RunAsync("ip", "netns", "exec", ns._name, "ip", "link", "set", "lo", "up");
            await ns.RunAsync("ip", "netns", "exec", ns._name, "ip", "addr", "add", $"{Address}/32", "dev", "lo");
            return ns;
        }

        public async Task StartReceiverAsync(params string[] args)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])["netns", "exec", _name, dotnet, Path.Combine(AppContext.BaseDirectory, "Receiver.Web.dll"),
                $"--urls={Remote};{Local}", "--Receiver:ControlPort=0", "--Receiver:MirrorPort=0", "--Receiver:Discovery:Enabled=false",
                $"--Receiver:DataDirectory={Path.Combine(Directory, "data")}", "--Receiver:Access:Mode=open", .. args])
            {
                info.ArgumentList.Add(arg);
            }

            _receiver = Process.Start(info) ?? throw new InvalidOperationException("could not start the receiver");
            _receiver.OutputDataReceived += (_, e) => Append(e.Data);
            _receiver.ErrorDataReceived += (_, e) => Append(e.Data);
            _receiver.BeginOutputReadLine();
            _receiver.BeginErrorReadLine();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (await CurlAsync($"{Remote}/readyz") != "200")
            {
                if (_receiver.HasExited)
                {
                    Assert.Fail($"the receiver exited ({_receiver.ExitCode}):\n{Log}");
                }

                Assert.True(DateTime.UtcNow < deadline, $"the receiver did not become ready:\n{Log}");
                await Task.Delay(250);
            }
        }

        /// <summary>curl inside the namespace; returns the HTTP status (000 when it could not connect).</summary>
        public async Task<string> CurlAsync(string url, params string[] args)
        {
            string[] all = ["netns", "exec", _name, "curl", "-s", "-o", args.Contains("-o") ? args[Array.IndexOf(args, "-o") + 1] : "/dev/null",
                "-w", "%{http_code}", "--max-time", "10", .. Without(args, "-o"), url];
            var (_, text) = await ExternalTools.RunAsync("ip", all, TimeSpan.FromSeconds(20));
            return text.Trim();
        }

        public async ValueTask DisposeAsync()
        {
            if (_receiver is { HasExited: false })
            {
                _receiver.Kill(entireProcessTree: true);
                await _receiver.WaitForExitAsync();
            }

            _receiver?.Dispose();
            _output.WriteLine(Log);
            await ExternalTools.RunAsync("ip", ["netns", "del", _name]);
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(line);
                }
            }
        }

        private static string[] Without(string[] args, string option)
        {
            var index = Array.IndexOf(args, option);
            return index < 0 ? args : [.. args[..index], .. args[(index + 2)..]];
        }

        private async Task RunAsync(string file, params string[] args)
        {
            var (exit, text) = await ExternalTools.RunAsync(file, args, TimeSpan.FromSeconds(20));
            Assert.True(exit == 0, string.Create(CultureInfo.InvariantCulture, $"{file} {string.Join(' ', args)} failed ({exit}): {text}"));
        }
    }
}
