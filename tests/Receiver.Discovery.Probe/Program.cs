using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Receiver.Core.Discovery;

// Advertises a test receiver for at most the given seconds, or until SIGTERM or SIGINT, then sends goodbyes. Used by
// the discovery tests inside an isolated network namespace: probe <interface> <seconds> [name] [device id] [port].
// Prints "probe: advertised as <name>" each time its names are won.
// "probe watch <interface> <seconds>" instead prints the questions of every probe seen there (see ProbeWatcher).
const string Usage = "usage: Receiver.Discovery.Probe <interface> <seconds> [name] [device id] [port] | watch <interface> <seconds>";
if (args.Length == 3 && args[0] == "watch")
{
    if (!int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var watchSeconds))
    {
        await Console.Error.WriteLineAsync(Usage);
        return 2;
    }

    using var watchLogging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
    return await ProbeWatcher.RunAsync(args[1], watchSeconds, watchLogging.CreateLogger("watch"));
}

if (args.Length is < 2 or > 5 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
{
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

var name = args.Length > 2 ? args[2] : "Probe Receiver";
var deviceId = args.Length > 3 ? args[3] : "02:11:22:33:44:55";
var port = args.Length > 4 ? int.Parse(args[4], NumberStyles.None, CultureInfo.InvariantCulture) : 7000;

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; o.UseUtcTimestamp = true; }).SetMinimumLevel(LogLevel.Debug));
var publicKey = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
var info = new AirPlayServiceInfo(name, deviceId, AirPlayServiceInfo.DefaultFeatures, publicKey, port);
var options = new DiscoveryOptions { Interfaces = [args[0]] };
await using var advertiser = new AirPlayAdvertiser(info, options, loggerFactory.CreateLogger<AirPlayAdvertiser>());
advertiser.AdvertisedNameChanged += (_, e) => Console.WriteLine($"probe: advertised as {e.Name} / {e.RaopName}");
await advertiser.StartAsync(CancellationToken.None);
if (!advertiser.IsWatchingNetwork)
{
    await Console.Error.WriteLineAsync("advertiser did not start");
    return 1;
}

if (!advertiser.IsRunning)
{
    Console.WriteLine("probe: waiting for a usable interface");
}

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
Console.WriteLine("probe: probing");
try
{
    await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
}
catch (OperationCanceledException)
{
}

await advertiser.StopAsync(CancellationToken.None);
Console.WriteLine("probe: stopped");
return 0;
