using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Receiver.FaultBench;

/// <summary>Connections from many loopback addresses (127.0.x.y stands for another machine), so a per-address cap does not refuse a flood at once.</summary>
public static class LoopbackFlood
{
    private static readonly ConcurrentDictionary<SocketError, int> Failures = new();

    /// <summary>Why connections could not be made since the last call (e.g. <c>ConnectionRefused 12</c>), and forgets them.</summary>
    public static string TakeFailures()
    {
        var text = string.Join(", ", Failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key} {f.Value}"));
        Failures.Clear();
        return text.Length == 0 ? "none" : text;
    }

    /// <summary>The <paramref name="index"/>-th of <paramref name="count"/> source addresses in 127.0.<paramref name="subnet"/>.1 … .</summary>
    public static IPAddress Source(int subnet, int index, int count) => new([127, 0, (byte)subnet, (byte)(1 + index % Math.Clamp(count, 1, 250))]);

    /// <summary>A TCP connection from <paramref name="source"/> to the loopback port, or null when it is refused.</summary>
    public static async Task<Socket?> ConnectAsync(IPAddress source, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return socket;
        }
        catch (SocketException e)
        {
            Failures.AddOrUpdate(e.SocketErrorCode, 1, (_, n) => n + 1);
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Closes with a reset (linger 0) or an orderly FIN.</summary>
    public static void Close(Socket socket, bool reset)
    {
        if (reset)
        {
            socket.LingerState = new LingerOption(true, 0);
        }

        socket.Dispose();
    }
}
