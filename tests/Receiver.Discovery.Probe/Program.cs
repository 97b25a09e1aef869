using System.Globalization;
using Microsoft.Extensions.Logging;
using Receiver.Core.Discovery;

// Advertises a fixed test receiver for a few seconds, then sends goodbyes. Used by the discovery test inside an
// isolated network namespace: probe <interface> <seconds>.
if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
{
    await Console.Error.WriteLineAsync("usage: Receiver.Discovery.Probe <interface> <seconds>");
    return 2;
}

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug));
var publicKey = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
var info = new AirPlayServiceInfo("Probe Receiver", "02:11:22:33:44:55", AirPlayServiceInfo.DefaultFeatures, publicKey, 7000);
var options = new DiscoveryOptions { Interfaces = [args[0]] };
await using var advertiser = new AirPlayAdvertiser(info, options, loggerFactory.CreateLogger<AirPlayAdvertiser>());
await advertiser.StartAsync(CancellationToken.None);
if (!advertiser.IsRunning)
{
    await Console.Error.WriteLineAsync("advertiser did not start");
    return 1;
}

Console.WriteLine("probe: advertising");
await Task.Delay(TimeSpan.FromSeconds(seconds));
await advertiser.StopAsync(CancellationToken.None);
Console.WriteLine("probe: stopped");
return 0;
