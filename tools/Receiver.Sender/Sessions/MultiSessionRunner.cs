using System.Diagnostics;
using System.Globalization;

namespace Receiver.Sender.Sessions;

/// <summary>Runs N senders at once, each with its own device id and name, and sums up their throughput.</summary>
public static class MultiSessionRunner
{
    public static async Task<SenderSummary> RunAsync(SenderOptions options, int sessions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(sessions, 1);
        var watch = Stopwatch.StartNew();
        using var streamSetupGate = new SemaphoreSlim(1, 1);
        var runs = Enumerable.Range(1, sessions).Select(i =>
        {
            var perSession = sessions == 1 ? options : options with
            {
                DeviceId = null,
                Name = string.Create(CultureInfo.InvariantCulture, $"{options.Name} #{i}"),
                DumpSentPath = options.DumpSentPath is { } dump ? string.Create(CultureInfo.InvariantCulture, $"{dump}.{i}") : null,
            };
            return Task.Run(() => new AirPlaySenderSession(perSession, streamSetupGate: streamSetupGate).RunAsync(cancellationToken), cancellationToken);
        }).ToArray();
        var results = await Task.WhenAll(runs);
        return new SenderSummary(results, watch.Elapsed.TotalSeconds);
    }
}
