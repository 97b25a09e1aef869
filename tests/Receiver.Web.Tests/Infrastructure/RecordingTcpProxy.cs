using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of the receiver's control port that keeps every byte of each direction, so that a
/// test knows exactly what went over the wire (the secrets of a session included) without trusting either side.
/// </summary>
public sealed class RecordingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly MemoryStream _upstream = new();
    private readonly MemoryStream _downstream = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public RecordingTcpProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The bytes from the sender to the receiver so far.</summary>
    public byte[] Sent
    {
        get
        {
            lock (_gate)
            {
                return _upstream.ToArray();
            }
        }
    }

    /// <summary>The bytes from the receiver to the sender so far.</summary>
    public byte[] Received
    {
        get
        {
            lock (_gate)
            {
                return _downstream.ToArray();
            }
        }
    }

    /// <summary>The messages (head text, body) in <paramref name="wire"/>: heads end at a blank line, bodies have their Content-Length.</summary>
    public static IReadOnlyList<(string Head, byte[] Body)> Messages(byte[] wire)
    {
        var messages = new List<(string, byte[])>();
        var offset = 0;
        while (offset < wire.Length)
        {
            var end = wire.AsSpan(offset).IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                break;
            }

            var head = Encoding.Latin1.GetString(wire, offset, end);
            offset += end + 4;
            var length = 0;
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }

            length = Math.Min(length, wire.Length - offset);
            messages.Add((head, wire.AsSpan(offset, length).ToArray()));
            offset += length;
        }

        return messages;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                client.NoDelay = server.NoDelay = true;
                await Task.WhenAll(
                    PumpAsync(client.GetStream(), server.GetStream(), _upstream, server.Client),
                    PumpAsync(server.GetStream(), client.GetStream(), _downstream, client.Client));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, MemoryStream record, Socket toSocket)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                lock (_gate)
                {
                    record.Write(buffer, 0, read);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        try
        {
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        _stop.Dispose();
        _upstream.Dispose();
        _downstream.Dispose();
    }
}
