using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Receiver.FaultBench;

/// <summary>
/// Scenario 3: slow connections to the control port from several loopback addresses, opened over a few seconds: each
/// sends the start of a request head and then trickles one byte every 2 s, never finishing it, until the receiver
/// closes it (or 60 s pass). Meanwhile a fresh connection from 127.0.0.1 asks <c>GET /info</c> every 100 ms. The
/// receiver runs with its shipped caps and deadlines. Targets: every held connection closed by the request deadline
/// (<c>RequestTimeoutSeconds</c>, 15 s, plus 5 s), every <c>GET /info</c> answered, p99 under 50 ms.
/// </summary>
public sealed class SlowConnectionScenario(FaultOptions options, string work)
{
    private const int DeadlineSeconds = 15;
    private static readonly byte[] Head = Encoding.ASCII.GetBytes("GET /info RTSP/1.0\r\nCSeq: 1\r\nX-Slow: ");

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var cache = Path.Combine(options.Repository, "bench/.cache");
        var clip = await BenchClip.EnsureAsync(cache, 320, 240, 300, 10, cancellationToken);
        var (receiver, baseline) = await Cycle.StartAsync(options, work, "slow", clip, [], r => Task.WhenAll(
            Enumerable.Range(0, Math.Min(100, options.SlowConnections)).Select(i => TrickleAsync(LoopbackFlood.Source(2, i, options.SlowAddresses), r.ControlPort, cancellationToken))), cancellationToken);
        await using (receiver)
        {
            var held = new ConcurrentBag<double>();
            var refusedAtOnce = 0;
            var notConnected = 0;
            var stillOpen = 0;
            var peakFds = 0;
            var latencies = new ConcurrentBag<double>();
            var infoFailures = 0;
            using var probing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var probe = Task.Run(async () =>
            {
                while (!probing.IsCancellationRequested)
                {
                    var latency = await RtspInfo.TryAsync(IPAddress.Loopback, receiver.ControlPort, TimeSpan.FromSeconds(2), probing.Token);
                    if (latency is { } value)
                    {
                        latencies.Add(value.TotalMilliseconds);
                    }
                    else if (!probing.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref infoFailures);
                    }

                    peakFds = Math.Max(peakFds, Directory.EnumerateFileSystemEntries($"/proc/{receiver.Pid}/fd").Count());
                    try
                    {
                        await Task.Delay(100, probing.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }, CancellationToken.None);

            // Opened at about 500 a second, each kept by its own task.
            LoopbackFlood.TakeFailures();
            var watch = Stopwatch.StartNew();
            var connections = new List<Task>();
            for (var i = 0; i < options.SlowConnections; i++)
            {
                var source = LoopbackFlood.Source(1, i, options.SlowAddresses);
                connections.Add(Task.Run(async () =>
                {
                    var outcome = await TrickleAsync(source, receiver.ControlPort, cancellationToken);
                    switch (outcome)
                    {
                        case null:
                            Interlocked.Increment(ref notConnected);
                            break;
                        case < 1:
                            Interlocked.Increment(ref refusedAtOnce);
                            break;
                        case double.PositiveInfinity:
                            Interlocked.Increment(ref stillOpen);
                            break;
                        default:
                            held.Add(outcome.Value);
                            break;
                    }
                }, cancellationToken));
                if (i % 50 == 49)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }

            await Task.WhenAll(connections);
            var elapsed = watch.Elapsed;
            var connectFailures = LoopbackFlood.TakeFailures();
            await probing.CancelAsync();
            await probe;
            var after = await Leftovers.SettleAsync(receiver, baseline, options, cancellationToken);

            var heldTimes = held.Order().ToList();
            var sorted = latencies.Order().ToList();
            double Percentile(double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
            var closedInTime = heldTimes.Count(t => t <= DeadlineSeconds + 5);
            var severe = receiver.SevereLogLines();
            List<TargetCheck> checks =
            [
                new("receiver alive", !receiver.HasExited, receiver.HasExited ? $"exited with {receiver.ExitCode}" : "running"),
                new("closed by the deadline", stillOpen == 0 && closedInTime == heldTimes.Count,
                    string.Create(CultureInfo.InvariantCulture, $"{closedInTime} of {heldTimes.Count} held closed within {DeadlineSeconds + 5} s, {stillOpen} still open at 60 s")),
                new("GET /info answered", infoFailures == 0, $"{sorted.Count} answered, {infoFailures} refused or unanswered"),
                new("GET /info p99 < 50 ms", sorted.Count > 0 && Percentile(0.99) < 50,
                    string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(0.5):F1} ms, p99 {Percentile(0.99):F1} ms")),
                .. Leftovers.Check(baseline, after, options),
            ];
            List<string> notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"{options.SlowConnections:N0} slow connections from {options.SlowAddresses} addresses in {elapsed.TotalSeconds:F0} s: {heldTimes.Count} held, {refusedAtOnce} closed within 1 s (caps), {notConnected} not connected ({connectFailures})"),
                heldTimes.Count == 0 ? "none held" : string.Create(CultureInfo.InvariantCulture,
                    $"held connections closed after {heldTimes[heldTimes.Count / 2]:F1} s (median), {heldTimes[^1]:F1} s (max); receiver fds peaked at {peakFds}"),
                string.Create(CultureInfo.InvariantCulture, $"GET /info during the flood: {sorted.Count} answered, p50 {Percentile(0.5):F1} ms, p99 {Percentile(0.99):F1} ms, max {(sorted.Count > 0 ? sorted[^1] : double.NaN):F1} ms; {infoFailures} refused or unanswered"),
                $"descriptors beyond the baseline: {Leftovers.DescriptorGrowth(receiver)}",
                $"{severe.Count} error lines in the receiver's log" + (severe.Count > 0 ? ": " + severe[0] : string.Empty),
            ];
            var done = string.Create(CultureInfo.InvariantCulture, $"{options.SlowConnections:N0} slow connections (half a request head, then a byte every 2 s) from {options.SlowAddresses} addresses");
            return new ScenarioResult("3. slow connections", done, baseline, after, checks, notes);
        }
    }

    /// <summary>Seconds until the receiver closed the connection; null when it could not connect; infinity when it was still open after 60 s.</summary>
    private static async Task<double?> TrickleAsync(IPAddress source, int port, CancellationToken cancellationToken)
    {
        using var socket = await LoopbackFlood.ConnectAsync(source, port, cancellationToken);
        if (socket is null)
        {
            return null;
        }

        var watch = Stopwatch.StartNew();
        var reply = new byte[1024];
        try
        {
            await socket.SendAsync(Head, SocketFlags.None, cancellationToken);
            var closed = socket.ReceiveAsync(reply, SocketFlags.None, cancellationToken).AsTask();
            while (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (await Task.WhenAny(closed, Task.Delay(2000, cancellationToken)) == closed)
                {
                    await closed;
                    return watch.Elapsed.TotalSeconds;
                }

                await socket.SendAsync("a"u8.ToArray(), SocketFlags.None, cancellationToken);
            }

            LoopbackFlood.Close(socket, reset: true);
            return double.PositiveInfinity;
        }
        catch (SocketException)
        {
            return watch.Elapsed.TotalSeconds;
        }
    }
}
