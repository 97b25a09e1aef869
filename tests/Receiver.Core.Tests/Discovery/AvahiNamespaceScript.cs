using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Receiver.Core.Tests.Discovery;

/// <summary>
/// Runs one of the network-namespace scripts next to these tests with the discovery probe, and reads its
/// <c>### section</c> output and the <c>avahi-browse -p</c> lines in it.
/// </summary>
internal static partial class AvahiNamespaceScript
{
    public static async Task<Dictionary<string, List<string>>> RunAsync(string scriptName, int probeSeconds, ITestOutputHelper output)
    {
        var script = Path.Combine(TestPaths.RepositoryRoot, "tests", "Receiver.Core.Tests", "Discovery", scriptName);
        var probe = Path.Combine(AppContext.BaseDirectory, "Receiver.Discovery.Probe.dll");
        Assert.True(File.Exists(probe), "probe not built next to the tests: " + probe);
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add($"{dotnet} {probe}");
        start.ArgumentList.Add(probeSeconds.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM lets the script's trap end the namespace's processes and remove the namespace.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
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

    /// <summary>The resolved services (<c>=;</c> lines) of <c>avahi-browse -rp</c> output.</summary>
    public static List<ResolvedService> Resolved(List<string> lines) =>
        lines.Where(l => l.StartsWith("=;", StringComparison.Ordinal)).Select(ParseResolved).ToList();

    // avahi-browse -p: =;iface;proto;name;type;domain;host;address;port;"k=v" "k=v" ...
    private static ResolvedService ParseResolved(string line)
    {
        var fields = line.Split(';', 10);
        Assert.Equal(10, fields.Length);
        var txt = TxtString().Matches(fields[9])
            .Select(m => m.Groups[1].Value.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty);
        return new ResolvedService(fields[2], Unescape(fields[3]), fields[4], fields[6], fields[7], fields[8], txt);
    }

    // avahi escapes bytes of instance names as \DDD (decimal).
    private static string Unescape(string name) =>
        Encoding.UTF8.GetString(EscapedByte().Replace(name, m => ((char)int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString())
            .Select(c => (byte)c).ToArray());

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex TxtString();

    [GeneratedRegex(@"\\(\d{3})")]
    private static partial Regex EscapedByte();
}
