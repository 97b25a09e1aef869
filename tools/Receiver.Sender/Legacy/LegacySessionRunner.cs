using System.Diagnostics;
using System.Globalization;
using System.Net;
using Receiver.Sender.Sessions;
using Receiver.Sender.Timing;

namespace Receiver.Sender.Legacy;

/// <summary>
/// Runs N legacy senders at once with distinct device ids, all answering NTP through one shared responder and so
/// stamping their packets with its one clock (the clock <see cref="SenderOptions.Clock"/> names).
/// </summary>
public static class LegacySessionRunner
{
    public static async Task<SenderSummary> RunAsync(LegacySenderOptions options, int sessions, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(sessions, 1);
        var watch = Stopwatch.StartNew();
        LegacyTimingResponder timing;
        try
        {
            var clock = SimulatedSenderClock.Parse(options.Sender.Clock, options.Sender.ClockDriftPpm, time ?? TimeProvider.System);
            timing = new LegacyTimingResponder(IPAddress.Any, options.TimingPort, time, clock, options.Sender.TimingReplies);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            var failed = new SenderResult
            {
                DeviceId = options.Sender.DeviceId ?? string.Empty,
                Steps = [new StepResult("timing", 0, false, watch.Elapsed.TotalMilliseconds, e.Message)],
                Error = $"step 'timing' failed: UDP port {options.TimingPort}: {e.Message}",
            };
            return new SenderSummary([failed], watch.Elapsed.TotalSeconds);
        }

        await using (timing)
        {
            var runs = Enumerable.Range(1, sessions).Select(i =>
            {
                var sender = sessions == 1 ? options.Sender : options.Sender with
                {
                    DeviceId = null,
                    Name = string.Create(CultureInfo.InvariantCulture, $"{options.Sender.Name} #{i}"),
                    DumpSentPath = options.Sender.DumpSentPath is { } dump ? string.Create(CultureInfo.InvariantCulture, $"{dump}.{i}") : null,
                };
                return Task.Run(() => new LegacySenderSession(options with { Sender = sender }, timing, time).RunAsync(cancellationToken), cancellationToken);
            }).ToArray();
            var results = await Task.WhenAll(runs);
            return new SenderSummary(results, watch.Elapsed.TotalSeconds);
        }
    }
}
