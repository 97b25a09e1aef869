using System.Diagnostics;
using System.Globalization;

namespace Receiver.Sender.Sessions;

/// <summary>Runs N senders at once, each with its own device id and name, and sums up their throughput.</summary>
public static class MultiSessionRunner
{
    /// <param name="serializeStreamSetup">
    /// Let one sender at a time set up its video stream and open its data connection, for receivers that can only tell
    /// data connections apart by address. Off by default: this project's receiver matches them by key.
    /// </param>
    public static async Task<SenderSummary> RunAsync(SenderOptions options, int sessions, CancellationToken cancellationToken, bool serializeStreamSetup = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(sessions, 1);
        var watch = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(1, 1);
        var streamSetupGate = serializeStreamSetup ? gate : null;
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
