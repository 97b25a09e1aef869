using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Receiver.FaultBench;

/// <summary>A fresh control connection that asks <c>GET /info</c>, as a sender's first request, and times the answer.</summary>
public static class RtspInfo
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET /info RTSP/1.0\r\nCSeq: 1\r\nX-Apple-ProtocolVersion: 1\r\n\r\n");

    /// <summary>The time from connect to the end of a 200 answer's head, or null when the connection was refused, closed, answered otherwise or timed out.</summary>
    public static async Task<TimeSpan?> TryAsync(IPAddress source, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var watch = Stopwatch.StartNew();
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            await socket.SendAsync(Request, SocketFlags.None, deadline.Token);
            var buffer = new byte[4096];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    return null;
                }

                length += read;
                var text = Encoding.ASCII.GetString(buffer, 0, length);
                if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    return text.StartsWith("RTSP/1.0 200", StringComparison.Ordinal) ? watch.Elapsed : null;
                }
            }

            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return null;
        }
        finally
        {
            socket.LingerState = new LingerOption(true, 0);
        }
    }
}
