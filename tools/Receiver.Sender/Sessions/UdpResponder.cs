using System.Net;
using System.Net.Sockets;

namespace Receiver.Sender.Sessions;

/// <summary>
/// A UDP socket that answers each datagram it receives with what <c>answer</c> returns (nothing when it returns null),
/// until disposed. The timing responders of both sender flows run on it.
/// </summary>
internal sealed class UdpResponder : IAsyncDisposable
{
    private readonly UdpClient _socket;
    private readonly Func<byte[], byte[]?> _answer;
    private readonly bool _keepListeningOnSocketErrors;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _answered;
    private int _ignored;

    /// <summary>
    /// Binds <paramref name="endPoint"/> (port 0 picks a free port) and starts answering. With
    /// <paramref name="keepListeningOnSocketErrors"/>, a socket error (such as an ICMP "port unreachable" from an
    /// earlier reply) does not end the loop.
    /// </summary>
    public UdpResponder(IPEndPoint endPoint, Func<byte[], byte[]?> answer, bool keepListeningOnSocketErrors)
    {
        _answer = answer;
        _keepListeningOnSocketErrors = keepListeningOnSocketErrors;
        _socket = new UdpClient(endPoint);
        Port = ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;
        _loop = Task.Run(RunAsync);
    }

    public int Port { get; }

    /// <summary>Datagrams answered so far.</summary>
    public int RequestsAnswered => Volatile.Read(ref _answered);

    /// <summary>Datagrams left unanswered.</summary>
    public int PacketsIgnored => Volatile.Read(ref _ignored);

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
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (SocketException) when (_keepListeningOnSocketErrors && !_stop.IsCancellationRequested)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_answer(request.Buffer) is not { } reply)
            {
                Interlocked.Increment(ref _ignored);
                continue;
            }

            try
            {
                await _socket.SendAsync(reply, request.RemoteEndPoint, _stop.Token);
                Interlocked.Increment(ref _answered);
            }
            catch (SocketException) when (_keepListeningOnSocketErrors && !_stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
