using System.Net;
using System.Net.Sockets;

namespace Receiver.Core.Audio;

/// <summary>
/// The UDP data and control sockets of one type-96 audio stream. Receives RTP packets, drops the sender's
/// redundant copies by sequence number and counts what arrived; the ports go back to the sender in the SETUP reply.
/// </summary>
public sealed class AudioStreamEndpoint : IDisposable
{
    private readonly Socket _data;
    private readonly Socket _control;
    private readonly CancellationTokenSource _stop = new();
    private long _packets;
    private long _duplicates;
    private long _controlPackets;
    private int _lastSequence = -1;

    private AudioStreamEndpoint(IPAddress sender, AudioStreamParameters parameters)
    {
        Parameters = parameters;
        var family = sender.AddressFamily;
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
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
            throw;
        }
    }

    public AudioStreamParameters Parameters { get; }

    public int DataPort => ((IPEndPoint)_data.LocalEndPoint!).Port;

    public int ControlPort => ((IPEndPoint)_control.LocalEndPoint!).Port;

    public long PacketsReceived => Interlocked.Read(ref _packets);

    public long DuplicatesDropped => Interlocked.Read(ref _duplicates);

    public long ControlPacketsReceived => Interlocked.Read(ref _controlPackets);

    public static AudioStreamEndpoint Open(IPAddress sender, AudioStreamParameters parameters)
    {
        var endpoint = new AudioStreamEndpoint(sender, parameters);
        _ = Task.Run(() => endpoint.ReceiveDataAsync(endpoint._stop.Token));
        _ = Task.Run(() => endpoint.ReceiveControlAsync(endpoint._stop.Token));
        return endpoint;
    }

    private async Task ReceiveDataAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var received = await _data.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (!RtpHeader.TryParse(buffer.AsSpan(0, received), out var header))
                {
                    continue;
                }

                if (header.SequenceNumber == _lastSequence)
                {
                    Interlocked.Increment(ref _duplicates);
                    continue;
                }

                _lastSequence = header.SequenceNumber;
                Interlocked.Increment(ref _packets);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ReceiveControlAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _control.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _controlPackets);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _data.Dispose();
        _control.Dispose();
        _stop.Dispose();
    }
}
