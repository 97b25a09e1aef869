using System.Net;
using System.Net.Sockets;
using Receiver.Core.Timing;

namespace Receiver.Sender.Sessions;

/// <summary>
/// The sender's NTP-like timing port: answers the receiver's 0xD2 requests with 0xD3 replies carrying the request's
/// transmit time, the arrival time and the reply time on the sender's wall clock (NTP epoch).
/// </summary>
public sealed class TimingResponder : IAsyncDisposable
{
    private readonly UdpClient _socket;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TimingResponder(IPAddress bindAddress, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _socket = new UdpClient(new IPEndPoint(bindAddress, 0));
        Port = ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;
        _loop = Task.Run(RunAsync);
    }

    public int Port { get; }

    /// <summary>Requests answered so far.</summary>
    public int RequestsAnswered => _answered;

    private int _answered;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var reply = new byte[TimingPacket.Length];
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var received = Now();
            if (request.Buffer.Length < TimingPacket.Length || request.Buffer[1] != TimingPacket.RequestType)
            {
                continue;
            }

            var origin = NtpTimestamp.ReadBigEndian(request.Buffer.AsSpan(24));
            TimingPacket.WriteReply(reply, origin, received, Now());
            try
            {
                await _socket.SendAsync(reply, request.RemoteEndPoint, _stop.Token);
                Interlocked.Increment(ref _answered);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    private ulong Now() => NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(_time));
}
