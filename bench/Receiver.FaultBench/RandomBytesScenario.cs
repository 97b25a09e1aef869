using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Receiver.Sender.Sessions;

namespace Receiver.FaultBench;

/// <summary>
/// Scenario 2: connections that send random bytes (1 B to 4 KiB) to each TCP port — control, mirror, web — from 200
/// loopback addresses, 64 at once; each waits up to 100 ms for the receiver's answer or close, then goes away by a
/// reset or a FIN. The receiver runs with its shipped caps. Afterwards it must still answer: an RTSP
/// <c>GET /info</c>, <c>/healthz</c> and a whole sender session with sound.
/// </summary>
public sealed class RandomBytesScenario(FaultOptions options, string work, string cache)
{
    private const int Concurrency = 64;

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var clip = await BenchClip.EnsureAsync(cache, 320, 240, 300, 10, cancellationToken);
        var warmUpCount = Math.Max(1, options.RandomConnections / 20);
        var (receiver, baseline) = await Cycle.StartAsync(options, work, "random-bytes", clip, [], async r =>
        {
            foreach (var port in new[] { r.ControlPort, r.MirrorPort, r.WebPort })
            {
                await FloodAsync(port, 9, warmUpCount, options.Seed + 1, cancellationToken);
            }
        }, cancellationToken);
        await using (receiver)
        {
            var notes = new List<string>();
            LoopbackFlood.TakeFailures();
            var watch = Stopwatch.StartNew();
            var subnet = 10;
            foreach (var (port, name) in new[] { (receiver.ControlPort, "control"), (receiver.MirrorPort, "mirror"), (receiver.WebPort, "web") })
            {
                var tally = await FloodAsync(port, subnet++, options.RandomConnections, options.Seed, cancellationToken);
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name} port: {tally.Connected} connected, {tally.Refused} not connected ({LoopbackFlood.TakeFailures()}); the receiver answered {tally.Answered}, closed {tally.ClosedByReceiver} within 100 ms"));
            }

            var elapsed = watch.Elapsed;
            var info = await receiver.AnswersInfoAsync(cancellationToken);
            var health = await HealthyAsync(receiver, cancellationToken);
            var sender = await new AirPlaySenderSession(Cycle.SenderOptions(options, receiver, clip, seconds: 3, audio: true)).RunAsync(cancellationToken);
            var after = await Leftovers.SettleAsync(receiver, baseline, options, cancellationToken);
            var severe = receiver.SevereLogLines();
            notes.Add($"descriptors beyond the baseline: {Leftovers.DescriptorGrowth(receiver)}");
            notes.Add($"{severe.Count} error lines in the receiver's log" + (severe.Count > 0 ? ": " + severe[0] : string.Empty));
            List<TargetCheck> checks =
            [
                new("receiver alive", !receiver.HasExited, receiver.HasExited ? $"exited with {receiver.ExitCode}" : "running"),
                new("still answers", info && health && sender.Ok, $"GET /info {(info ? "200" : "failed")}, /healthz {(health ? "200" : "failed")}, sender {(sender.Ok ? "ok" : sender.Error)}"),
                .. Leftovers.Check(baseline, after, options),
            ];
            var done = string.Create(CultureInfo.InvariantCulture, $"{options.RandomConnections:N0} connections of random bytes to each of control, mirror, web ({elapsed.TotalSeconds:F0} s)");
            return new ScenarioResult("2. random bytes", done, baseline, after, checks, notes);
        }
    }

    private static async Task<bool> HealthyAsync(ReceiverProcess receiver, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await receiver.Http.GetAsync("/healthz", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<FloodTally> FloodAsync(int port, int subnet, int count, int seed, CancellationToken cancellationToken)
    {
        var tally = new FloodTally();
        var next = -1;
        var workers = Enumerable.Range(0, Concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(seed * 1000 + worker);
            var reply = new byte[4096];
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                using var socket = await LoopbackFlood.ConnectAsync(LoopbackFlood.Source(subnet, index, 200), port, cancellationToken);
                if (socket is null)
                {
                    Interlocked.Increment(ref tally.Refused);
                    continue;
                }

                Interlocked.Increment(ref tally.Connected);
                var bytes = new byte[random.Next(1, 4097)];
                random.NextBytes(bytes);
                try
                {
                    await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    wait.CancelAfter(100);
                    var read = await socket.ReceiveAsync(reply, SocketFlags.None, wait.Token);
                    Interlocked.Increment(ref read == 0 ? ref tally.ClosedByReceiver : ref tally.Answered);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // still open after 100 ms: the receiver waits for more
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref tally.ClosedByReceiver);
                }

                LoopbackFlood.Close(socket, reset: random.Next(2) == 0);
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        return tally;
    }

    private sealed class FloodTally
    {
        public int Connected;
        public int Refused;
        public int Answered;
        public int ClosedByReceiver;
    }
}
