using System.Net;
using Receiver.Core.Legacy;
using Receiver.Core.Timing;
using Receiver.Sender.Sessions;
using Receiver.Sender.Timing;

namespace Receiver.Sender.Legacy;

/// <summary>
/// The legacy sender's NTP server on UDP port 7010: answers the receiver's 48-byte NTPv4 client requests (mode 3)
/// with mode-4 replies whose origin is the request's transmit time and whose receive and transmit times are read from
/// the sender's clock in its NTP encoding. One responder, and so one clock, serves every session of a run (like one
/// phone), because the receiver always sends to the same fixed port. With replies off it receives the requests and
/// answers none.
/// </summary>
public sealed class LegacyTimingResponder : IAsyncDisposable
{
    /// <summary>The fixed port iOS senders before iOS 9 answer on.</summary>
    public const int DefaultPort = 7010;

    private readonly byte[] _reply = new byte[NtpV4Packet.Length];
    private readonly UdpResponder _responder;

    /// <summary>Binds <paramref name="port"/> on <paramref name="bindAddress"/> (0 picks a free port) and starts answering.</summary>
    /// <param name="bindAddress">Address to bind.</param>
    /// <param name="port">UDP port; 0 picks a free one.</param>
    /// <param name="time">The time source of a default clock.</param>
    /// <param name="clock">The sender's clock; null: a phone-like <c>boot</c> clock on <paramref name="time"/>.</param>
    /// <param name="answerRequests">False to receive requests and answer none.</param>
    public LegacyTimingResponder(IPAddress bindAddress, int port, TimeProvider? time = null, SimulatedSenderClock? clock = null, bool answerRequests = true)
    {
        ArgumentNullException.ThrowIfNull(bindAddress);
        Clock = clock ?? SimulatedSenderClock.Boot(time ?? TimeProvider.System);
        AnswersRequests = answerRequests;
        _responder = new UdpResponder(new IPEndPoint(bindAddress, port), Answer, keepListeningOnSocketErrors: true);
    }

    public int Port => _responder.Port;

    /// <summary>The sender clock the replies are stamped with, shared by the sessions this responder serves.</summary>
    public SimulatedSenderClock Clock { get; }

    /// <summary>Whether requests are answered (false: the sender is silent on timing).</summary>
    public bool AnswersRequests { get; }

    /// <summary>NTP requests answered so far.</summary>
    public int RequestsAnswered => _responder.RequestsAnswered;

    /// <summary>Datagrams left unanswered: those that were not NTPv4 client requests, and every request when replies are off.</summary>
    public int PacketsIgnored => _responder.PacketsIgnored;

    public ValueTask DisposeAsync() => _responder.DisposeAsync();

    private byte[]? Answer(byte[] request)
    {
        var received = Clock.NtpNow();
        if (!AnswersRequests || !NtpV4Packet.TryReadRequestTransmit(request, out var origin))
        {
            return null;
        }

        NtpV4Packet.WriteReply(_reply, origin, received, Clock.NtpNow());
        return _reply;
    }
}
