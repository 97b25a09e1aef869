using System.Net;
using Receiver.Core.Legacy;
using Receiver.Core.Timing;
using Receiver.Sender.Sessions;

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

    private readonly TimeProvider _time;
    private readonly byte[] _reply = new byte[NtpV4Packet.Length];
    private readonly UdpResponder _responder;

    /// <summary>Binds <paramref name="port"/> on <paramref name="bindAddress"/> (0 picks a free port) and starts answering.</summary>
    public LegacyTimingResponder(IPAddress bindAddress, int port, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(bindAddress);
        _time = time ?? TimeProvider.System;
        _responder = new UdpResponder(new IPEndPoint(bindAddress, port), Answer, keepListeningOnSocketErrors: true);
    }

    public int Port => _responder.Port;

    /// <summary>NTP requests answered so far.</summary>
    public int RequestsAnswered => _responder.RequestsAnswered;

    /// <summary>Datagrams that were not NTPv4 client requests.</summary>
    public int PacketsIgnored => _responder.PacketsIgnored;

    /// <summary>The sender clock used for replies and packet timestamps: NTP 32.32.</summary>
    public static ulong Now(TimeProvider time) => NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(time));

    public ValueTask DisposeAsync() => _responder.DisposeAsync();

    private byte[]? Answer(byte[] request)
    {
        var received = Now(_time);
        if (!NtpV4Packet.TryReadRequestTransmit(request, out var origin))
        {
            return null;
        }

        NtpV4Packet.WriteReply(_reply, origin, received, Now(_time));
        return _reply;
    }
}
