using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Receiver.Core.Discovery;

/// <summary>
/// Listens on port 5353 of one interface (next to the other responders there) and prints each question of every
/// probe it sees, one line each: <c>probe question: NAME QU</c> or <c>probe question: NAME QM</c>.
/// </summary>
internal static class ProbeWatcher
{
    public static async Task<int> RunAsync(string interfaceName, int seconds, ILogger logger)
    {
        var interfaces = MdnsInterfaceSelector.Select([interfaceName], out var rejected);
        if (interfaces.Count == 0)
        {
            await Console.Error.WriteLineAsync("no usable interface: " + string.Join("; ", rejected));
            return 1;
        }

        using var socket = MdnsSocket.Open(interfaces, logger);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        Console.WriteLine("watch: listening");
        var buffer = new byte[9000];
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await socket.ReceiveAsync(buffer, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            DnsQuery message;
            try
            {
                message = DnsQueryParser.Parse(buffer.AsSpan(0, received.ReceivedBytes));
            }
            catch (DnsFormatException)
            {
                continue;
            }

            if (message.IsResponse || message.Authorities.Count == 0)
            {
                continue;
            }

            foreach (var question in message.Questions)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probe question: {question.Name} {(question.UnicastResponse ? "QU" : "QM")}"));
            }
        }

        Console.WriteLine("watch: stopped");
        return 0;
    }
}
