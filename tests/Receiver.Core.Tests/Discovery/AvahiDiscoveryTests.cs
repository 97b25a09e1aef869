using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Receiver.Core.Discovery;
using Xunit.Abstractions;

namespace Receiver.Core.Tests.Discovery;

/// <summary>
/// Runs the discovery probe inside a private network namespace holding only <c>lo</c> and checks with avahi what
/// it publishes and that its goodbyes remove it. Nothing is sent on a real interface.
/// </summary>
public sealed partial class AvahiDiscoveryTests(ITestOutputHelper output)
{
    private const int ProbeSeconds = 9;

    [NetworkNamespaceFact]
    public async Task Probe_InNamespace_AvahiResolvesBothServicesThenSeesGoodbye()
    {
        var sections = await RunCheckScriptAsync();

        Assert.Equal("0", sections["probe-exit"].SingleOrDefault());

        var airPlay = Assert.Single(Resolved(sections["airplay-during"]));
        Assert.Equal("Probe Receiver", airPlay.Name);
        Assert.Equal("_airplay._tcp", airPlay.Type);
        Assert.Equal("airplay-021122334455.local", airPlay.Host);
        Assert.Equal("127.0.0.1", airPlay.Address);
        Assert.Equal("7000", airPlay.Port);
        Assert.Equal("02:11:22:33:44:55", airPlay.Txt["deviceid"]);
        Assert.Equal("0x527FFEE6,0x0", airPlay.Txt["features"]);
        Assert.Equal("false", airPlay.Txt["pw"]);
        Assert.Equal("0x4", airPlay.Txt["flags"]);
        Assert.Equal("AppleTV3,2", airPlay.Txt["model"]);
        Assert.Equal(ProbeKeyHex, airPlay.Txt["pk"]);
        Assert.Equal(AirPlayTxtRecords.PairingIdentity, airPlay.Txt["pi"]);
        Assert.Equal("220.68", airPlay.Txt["srcvers"]);
        Assert.Equal("2", airPlay.Txt["vv"]);

        var raop = Assert.Single(Resolved(sections["raop-during"]));
        Assert.Equal("021122334455@Probe Receiver", raop.Name);
        Assert.Equal("_raop._tcp", raop.Type);
        Assert.Equal("7000", raop.Port);
        Assert.Equal(19, raop.Txt.Count);
        Assert.Equal("0x527FFEE6,0x0", raop.Txt["ft"]);
        Assert.Equal("0,3,5", raop.Txt["et"]);
        Assert.Equal("0x4", raop.Txt["sf"]);
        Assert.Equal(ProbeKeyHex, raop.Txt["pk"]);

        // Goodbye: the browsers saw the removal, and a fresh browse finds nothing.
        Assert.Contains(sections["monitor-airplay"], l => l.StartsWith("-;lo;IPv4;Probe\\032Receiver;_airplay._tcp;", StringComparison.Ordinal));
        Assert.Contains(sections["monitor-raop"], l => l.StartsWith("-;lo;IPv4;021122334455\\064Probe\\032Receiver;_raop._tcp;", StringComparison.Ordinal));
        Assert.DoesNotContain(sections["airplay-after"], l => l.Contains("_airplay._tcp", StringComparison.Ordinal));
        Assert.DoesNotContain(sections["raop-after"], l => l.Contains("_raop._tcp", StringComparison.Ordinal));
    }

    private static string ProbeKeyHex => Convert.ToHexStringLower(Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray());

    private async Task<Dictionary<string, List<string>>> RunCheckScriptAsync()
    {
        var script = Path.Combine(TestPaths.RepositoryRoot, "tests", "Receiver.Core.Tests", "Discovery", "mdns-netns-check.sh");
        var probe = Path.Combine(AppContext.BaseDirectory, "Receiver.Discovery.Probe.dll");
        Assert.True(File.Exists(probe), "probe not built next to the tests: " + probe);
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add($"{dotnet} {probe}");
        start.ArgumentList.Add(ProbeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM lets the script's trap end the namespace's processes and remove the namespace.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(CancellationToken.None);
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
            }

            throw;
        }

        var text = await stdout;
        output.WriteLine(text);
        output.WriteLine(await stderr);
        Assert.Equal(0, process.ExitCode);

        var sections = new Dictionary<string, List<string>>();
        var current = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                current = [];
                sections[line[4..].Trim()] = current;
            }
            else if (line.Length > 0)
            {
                current.Add(line);
            }
        }

        Assert.Empty(sections.GetValueOrDefault("error") ?? []);
        return sections;
    }

    private static List<ResolvedService> Resolved(List<string> lines) =>
        lines.Where(l => l.StartsWith("=;", StringComparison.Ordinal)).Select(ParseResolved).ToList();

    // avahi-browse -p: =;iface;proto;name;type;domain;host;address;port;"k=v" "k=v" ...
    private static ResolvedService ParseResolved(string line)
    {
        var fields = line.Split(';', 10);
        Assert.Equal(10, fields.Length);
        var txt = TxtString().Matches(fields[9])
            .Select(m => m.Groups[1].Value.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty);
        return new ResolvedService(Unescape(fields[3]), fields[4], fields[6], fields[7], fields[8], txt);
    }

    // avahi escapes bytes of instance names as \DDD (decimal).
    private static string Unescape(string name) =>
        Encoding.UTF8.GetString(EscapedByte().Replace(name, m => ((char)int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToString())
            .Select(c => (byte)c).ToArray());

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex TxtString();

    [GeneratedRegex(@"\\(\d{3})")]
    private static partial Regex EscapedByte();

    private sealed record ResolvedService(string Name, string Type, string Host, string Address, string Port, Dictionary<string, string> Txt);
}
