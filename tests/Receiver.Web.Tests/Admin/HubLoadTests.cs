using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using Receiver.Core.Sessions;
using Receiver.Web.Api;
using Receiver.Web.Hubs;
using Receiver.Web.Metrics;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Admin;

/// <summary>
/// Measurements of the sessions hub on loopback: event latency to a .NET client, and the cost of 200 dashboard
/// clients. Figures are printed; only delivery is asserted.
/// </summary>
[Trait("Category", "Load")]
[Collection(SerialCollection.Name)]
[Lane(TestLanes.RealTime)]
public sealed class HubLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ReceiverHost _host = null!;

    public async Task InitializeAsync() => _host = await ReceiverHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EventLatency_To_DotNetClient()
    {
        const int Events = 200;
        var session = AdminSessions.Start(_host, "Anna's iPhone");
        await using var client = await HubClient.ConnectAsync(_host.WebUrl);
        await client.WaitForAsync(nameof(ISessionsClient.Snapshot));
        var received = new SemaphoreSlim(0);
        client.Connection.On<VolumeChangedMessage>(nameof(ISessionsClient.VolumeChanged), _ => received.Release());

        for (var i = 0; i < 20; i++)
        {
            _host.Sessions.Publish(new VolumeChangedEvent(session.Id, DateTimeOffset.UtcNow, -i));
            Assert.True(await received.WaitAsync(TimeSpan.FromSeconds(5)));
        }

        var latencies = new double[Events];
        for (var i = 0; i < Events; i++)
        {
            var started = Stopwatch.GetTimestamp();
            _host.Sessions.Publish(new VolumeChangedEvent(session.Id, DateTimeOffset.UtcNow, -(i % 30)));
            Assert.True(await received.WaitAsync(TimeSpan.FromSeconds(5)), $"event {i} not received");
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(latencies);
        output.WriteLine($"session event -> .NET SignalR client (loopback, WebSockets), {Events} events: " +
            $"p50 {Percentile(latencies, 0.50):F3} ms, p99 {Percentile(latencies, 0.99):F3} ms, max {latencies[^1]:F3} ms");
    }

    [Fact]
    public async Task TwoHundredDashboards_AllReceiveEventsAndStats()
    {
        const int Clients = 200;
        var measure = TimeSpan.FromSeconds(10);
        var clip = H264Clip.CanCreate ? await H264Clip.CreateAsync(640, 360, 90) : null;
        var live = new[] { AdminSessions.Start(_host, "Anna's iPhone"), AdminSessions.Start(_host, "Mac mini", "Macmini9,1") };
        if (clip is not null)
        {
            foreach (var session in live)
            {
                clip.BeginVideo(_host, session);
            }
        }

        using var publishing = new CancellationTokenSource();
        var publisher = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(33));
            for (var i = 0; await timer.WaitForNextTickAsync(publishing.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result); i++)
            {
                foreach (var session in live)
                {
                    clip?.Publish(session, i, 1);
                }
            }
        });

        var baselineStart = Process.GetCurrentProcess().TotalProcessorTime;
        var baselineWatch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var baselineCpu = (Process.GetCurrentProcess().TotalProcessorTime - baselineStart).TotalMilliseconds / baselineWatch.Elapsed.TotalMilliseconds * 100;

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        GC.Collect();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var rssBefore = Process.GetCurrentProcess().WorkingSet64;

        var counters = new ClientCounters[Clients];
        var connections = new HubConnection[Clients];
        var connectWatch = Stopwatch.StartNew();
        for (var i = 0; i < Clients; i++)
        {
            var counter = counters[i] = new ClientCounters();
            var connection = connections[i] = new HubConnectionBuilder().WithUrl(new Uri(_host.WebUrl, SessionsHub.Path)).Build();
            connection.On<SessionSummary[]>(nameof(ISessionsClient.Snapshot), _ => Interlocked.Increment(ref counter.Snapshots));
            connection.On<SessionSummary>(nameof(ISessionsClient.SessionStarted), _ => Interlocked.Increment(ref counter.Started));
            connection.On<SessionStats>(nameof(ISessionsClient.SessionStats), _ => Interlocked.Increment(ref counter.Stats));
            connection.On<string, string>(nameof(ISessionsClient.SessionEnded), (_, _) => Interlocked.Increment(ref counter.Ended));
        }

        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, ct) => await c.StartAsync(ct));
        connectWatch.Stop();
        var cpuConnected = Process.GetCurrentProcess().TotalProcessorTime;

        var window = Stopwatch.StartNew();
        var extra = AdminSessions.Start(_host, "iPad");
        await Task.Delay(measure);
        _host.Sessions.End(extra, SessionEndReason.Teardown);
        var deadline = Stopwatch.StartNew();
        while (counters.Any(c => c.Ended == 0) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        window.Stop();
        var cpuAfter = Process.GetCurrentProcess().TotalProcessorTime;
        var rssAfter = Process.GetCurrentProcess().WorkingSet64;
        var managedAfter = GC.GetTotalMemory(forceFullCollection: false);
        await publishing.CancelAsync();
        await publisher;

        var stats = counters.Sum(c => (long)c.Stats);
        var steadyCpu = (cpuAfter - cpuConnected).TotalMilliseconds;
        output.WriteLine($"{Clients} .NET SignalR clients (WebSockets) in the test process, {live.Length + 1} live sessions, " +
            $"{(clip is null ? "no video" : "30 fps video each")}");
        output.WriteLine($"baseline without clients (video publishing, stats sampling): {baselineCpu:F1}% of one core");
        output.WriteLine($"connect all: {connectWatch.Elapsed.TotalMilliseconds:F0} ms, CPU {(cpuConnected - cpuBefore).TotalMilliseconds:F0} ms");
        output.WriteLine($"steady {window.Elapsed.TotalSeconds:F1} s: CPU {steadyCpu:F0} ms = {steadyCpu / window.Elapsed.TotalMilliseconds * 100:F1}% of one core " +
            $"(server and clients together); {stats} SessionStats delivered ({stats / window.Elapsed.TotalSeconds:F0}/s)");
        output.WriteLine($"memory: working set +{(rssAfter - rssBefore) / 1048576.0:F1} MiB, managed heap +{(managedAfter - managedBefore) / 1048576.0:F1} MiB " +
            $"(~{(rssAfter - rssBefore) / 1024.0 / Clients:F0} KiB per client incl. the client side)");

        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) => await c.DisposeAsync());
        Assert.All(counters, c =>
        {
            Assert.Equal(1, c.Snapshots);
            Assert.Equal(1, c.Started);
            Assert.Equal(1, c.Ended);
            Assert.True(c.Stats >= 5 * live.Length, $"only {c.Stats} stats");
        });
    }

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

    private sealed class ClientCounters
    {
        public int Snapshots;
        public int Started;
        public int Stats;
        public int Ended;
    }
}
