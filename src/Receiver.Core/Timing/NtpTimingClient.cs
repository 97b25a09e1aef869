using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Receiver.Core.Timing;

/// <summary>
/// The receiver's timing client: every few seconds it sends a timing request to the sender's timing port and adds
/// each reply to the session's <see cref="SenderClock"/>. The request carries our wall clock (the sender only echoes
/// it); the exchange is timed on the monotonic clock. A sender that never answers is fine: the clock then maps
/// sender times from packet arrivals.
/// </summary>
public sealed partial class NtpTimingClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _sender;
    private readonly SenderClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _interval;
    private readonly TimingPacketFormat _format;
    private Task? _loop;
    private readonly SenderDatagramFilter _defaultFilter;

    public NtpTimingClient(IPEndPoint sender, SenderClock clock, TimeProvider time, ILogger logger, TimeSpan? interval = null, TimingPacketFormat format = TimingPacketFormat.AirPlay)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(clock);
        _format = format;
        _sender = sender;
        _defaultFilter = new SenderDatagramFilter(sender.Address);
        _clock = clock;
        _time = time;
        _logger = logger;
        _interval = interval ?? TimeSpan.FromSeconds(3);
        _socket = new Socket(sender.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(sender.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
    }

    /// <summary>Which replies are the sender's (others are dropped and counted there); by default those from the sender's address.</summary>
    public SenderDatagramFilter? SenderDatagrams { get; init; }

    private SenderDatagramFilter Filter => SenderDatagrams ?? _defaultFilter;

    /// <summary>The session's protocol capture: each accepted reply's sender times are recorded there.</summary>
    public Diagnostics.ProtocolCapture? Capture { get; init; }

    /// <summary>The local UDP port, returned to the sender as <c>timingPort</c>.</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Replies that answered one of our requests.</summary>
    public long RepliesReceived { get; private set; }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var send = new byte[_format == TimingPacketFormat.NtpV4 ? NtpV4Packet.Length : TimingPacket.Length];
        var receive = new byte[128];
        ulong reference = 0;
        ulong receivedAt = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var t0 = NtpTimestamp.NowNanoseconds(_time);
                var t0Local = _clock.LocalNow;
                if (_format == TimingPacketFormat.NtpV4)
                {
                    NtpV4Packet.WriteRequest(send, NtpTimestamp.FromNanoseconds(t0));
                }
                else
                {
                    TimingPacket.WriteRequest(send, reference, receivedAt, NtpTimestamp.FromNanoseconds(t0));
                }

                await _socket.SendToAsync(send, SocketFlags.None, _sender, cancellationToken).ConfigureAwait(false);

                using var wait = new LinkedTimeout(_time, _interval, cancellationToken);
                try
                {
                    while (true)
                    {
                        var result = await _socket.ReceiveFromAsync(receive, SocketFlags.None, new IPEndPoint(_sender.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), wait.Token).ConfigureAwait(false);
                        var t3Local = _clock.LocalNow;
                        var t3 = NtpTimestamp.NowNanoseconds(_time);
                        if (!Filter.Accept(result.RemoteEndPoint))
                        {
                            continue;
                        }

                        var reply = receive.AsSpan(0, result.ReceivedBytes);
                        ulong origin, t1Raw, t2Raw;
                        var parsed = _format == TimingPacketFormat.NtpV4
                            ? NtpV4Packet.TryReadReply(reply, out origin, out t1Raw, out t2Raw)
                            : TimingPacket.TryReadTimes(reply, out origin, out t1Raw, out t2Raw);
                        if (!parsed
                            || NtpTimestamp.ToNanoseconds(origin) != NtpTimestamp.ToNanoseconds(NtpTimestamp.FromNanoseconds(t0)))
                        {
                            continue;
                        }

                        Capture?.RecordTimingReply(t1Raw, t2Raw, result.ReceivedBytes);
                        reference = t2Raw;
                        receivedAt = NtpTimestamp.FromNanoseconds(t3);
                        var sample = _clock.AddTimingSample(t0Local, t1Raw, t2Raw, t3Local);
                        RepliesReceived++;
                        LogTimingSample(_logger, sample.Offset / 1000, sample.Delay / 1000);
                        break;
                    }

                    await Task.Delay(_interval, _time, wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // No reply within the interval: try again.
                }
                catch (SocketException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogTimingError(_logger, ex.SocketErrorCode.ToString());
                    await Task.Delay(_interval, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException) when (cancellationToken.IsCancellationRequested)
        {
            // The socket was closed under a pending send or receive while stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Debug, Message = "Timing sample: offset {OffsetMicros} µs, delay {DelayMicros} µs")]
    private static partial void LogTimingSample(ILogger logger, long offsetMicros, long delayMicros);

    [LoggerMessage(EventId = 901, Level = LogLevel.Debug, Message = "Timing request failed: {Error}")]
    private static partial void LogTimingError(ILogger logger, string error);
}
