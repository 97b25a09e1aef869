using System.Net;
using System.Net.Sockets;
using Receiver.Core.Legacy;
using Receiver.Core.Timing;

namespace Receiver.Sender.Legacy;

/// <summary>
/// The legacy sender's NTP server on UDP port 7010: answers the receiver's 48-byte NTPv4 client requests (mode 3)
/// with mode-4 replies whose origin is the request's transmit time. One responder serves every session of a run,
/// because the receiver always sends to the same fixed port.
/// </summary>
public sealed class LegacyTimingResponder : IAsyncDisposable
{
    /// <summary>The fixed port iOS senders before iOS 9 answer on.</summary>
    public const int DefaultPort = 7010;

    private readonly UdpClient _socket;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _answered;
    private int _ignored;

    /// <summary>Binds <paramref name="port"/> on <paramref name="bindAddress"/> (0 picks a free port) and starts answering.</summary>
    public LegacyTimingResponder(IPAddress bindAddress, int port, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(bindAddress);
        _time = time ?? TimeProvider.System;
        _socket = new UdpClient(new IPEndPoint(bindAddress, port));
        Port = ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;
        _loop = Task.Run(RunAsync);
    }

    public int Port { get; }

    /// <summary>NTP requests answered so far.</summary>
    public int RequestsAnswered => Volatile.Read(ref _answered);

    /// <summary>Datagrams that were not NTPv4 client requests.</summary>
    public int PacketsIgnored => Volatile.Read(ref _ignored);

    /// <summary>The sender clock used for replies and packet timestamps: NTP 32.32.</summary>
    public static ulong Now(TimeProvider time) => NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(time));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var reply = new byte[NtpV4Packet.Length];
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (SocketException) when (!_stop.IsCancellationRequested)
            {
                // An ICMP "port unreachable" from an earlier reply surfaces here on some systems; keep listening.
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var received = Now(_time);
            if (!NtpV4Packet.TryReadRequestTransmit(request.Buffer, out var origin))
            {
                Interlocked.Increment(ref _ignored);
                continue;
            }

            NtpV4Packet.WriteReply(reply, origin, received, Now(_time));
            try
            {
                await _socket.SendAsync(reply, request.RemoteEndPoint, _stop.Token);
                Interlocked.Increment(ref _answered);
            }
            catch (SocketException) when (!_stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
