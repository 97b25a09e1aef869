using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Receiver.Core.Timing;

namespace Receiver.Core.Audio;

/// <summary>
/// The UDP side of one audio stream: a data socket and a control socket bound to ephemeral ports of the sender's
/// address family, one receive loop for each that hands every datagram to an <see cref="IAudioDatagramSink"/>, and
/// resend requests sent back on the control socket. Datagrams from any address but the sender's are dropped (and
/// counted by the <see cref="SenderDatagramFilter"/>) before the sink sees them. Disposing closes the sockets; <see cref="DisposeAsync"/> also
/// waits until both loops have ended.
/// </summary>
internal sealed class AudioStreamSockets : IAsyncDisposable, IDisposable
{
    private const int MaxDatagram = 2048;

    private readonly Socket _data;
    private readonly Socket _control;
    private readonly EndPoint _any;
    private readonly SenderDatagramFilter _filter;
    private readonly CancellationTokenSource _stop = new();
    private Task _dataLoop = Task.CompletedTask;
    private Task _controlLoop = Task.CompletedTask;
    private int _disposed;

    public AudioStreamSockets(SenderDatagramFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _filter = filter;
        var family = filter.Sender.AddressFamily;
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        _any = new IPEndPoint(any, 0);
        _data = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _control = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _data.Bind(new IPEndPoint(any, 0));
            _control.Bind(new IPEndPoint(any, 0));
        }
        catch
        {
            _data.Dispose();
            _control.Dispose();
            _stop.Dispose();
            throw;
        }

        DataPort = ((IPEndPoint)_data.LocalEndPoint!).Port;
        ControlPort = ((IPEndPoint)_control.LocalEndPoint!).Port;
    }

    public int DataPort { get; }

    public int ControlPort { get; }

    /// <summary>Starts both receive loops.</summary>
    public void Start(IAudioDatagramSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var token = _stop.Token;
        _dataLoop = Task.Run(() => ReceiveDataAsync(sink, token), CancellationToken.None);
        _controlLoop = Task.Run(() => ReceiveControlAsync(sink, token), CancellationToken.None);
    }

    /// <summary>Sends one datagram from the control port; false with the reason when the socket refused it.</summary>
    public bool TrySendControl(ReadOnlySpan<byte> datagram, EndPoint target, out string error)
    {
        try
        {
            _control.SendTo(datagram, SocketFlags.None, target);
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            error = ex.Message;
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _data.Dispose();
        _control.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Dispose();
        await Task.WhenAll(_dataLoop, _controlLoop).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ReceiveDataAsync(IAudioDatagramSink sink, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDatagram];
        var from = new SocketAddress(_data.AddressFamily);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var received = await _data.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken).ConfigureAwait(false);
                if (_filter.Accept(from))
                {
                    sink.OnDataPacket(buffer.AsSpan(0, received), Stopwatch.GetTimestamp());
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ReceiveControlAsync(IAudioDatagramSink sink, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDatagram];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await _control.ReceiveFromAsync(buffer, SocketFlags.None, _any, cancellationToken).ConfigureAwait(false);
                if (_filter.Accept(result.RemoteEndPoint))
                {
                    sink.OnControlPacket(buffer.AsSpan(0, result.ReceivedBytes), result.RemoteEndPoint);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
