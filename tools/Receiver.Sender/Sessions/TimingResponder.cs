using System.Net;
using Receiver.Core.Timing;
using Receiver.Sender.Timing;

namespace Receiver.Sender.Sessions;

/// <summary>
/// The sender's NTP-like timing port: answers the receiver's 0xD2 requests with 0xD3 replies carrying the request's
/// transmit time (echoed as is), the arrival time and the reply time, both read from the sender's clock in its NTP
/// encoding. A sender that does not answer timing (macOS 15.2, some iPads) still receives the requests and counts
/// them as ignored.
/// </summary>
public sealed class TimingResponder : IAsyncDisposable
{
    private readonly byte[] _reply = new byte[TimingPacket.Length];
    private readonly UdpResponder _responder;
    private readonly bool _answerRequests;
    private readonly int? _replyLimit;
    private volatile bool _frozen;
    private int _replies;

    /// <param name="bindAddress">Address to bind; the port is picked free (<see cref="Port"/>).</param>
    /// <param name="time">The time source of a default clock.</param>
    /// <param name="clock">The sender's clock; null: a phone-like <c>boot</c> clock on <paramref name="time"/>.</param>
    /// <param name="answerRequests">False to receive requests and answer none.</param>
    /// <param name="replyLimit">Answer this many requests, then none; null: no limit.</param>
    public TimingResponder(IPAddress bindAddress, TimeProvider? time = null, SimulatedSenderClock? clock = null, bool answerRequests = true, int? replyLimit = null)
    {
        _replyLimit = replyLimit;
        Clock = clock ?? SimulatedSenderClock.Boot(time ?? TimeProvider.System);
        _answerRequests = answerRequests;
        _responder = new UdpResponder(new IPEndPoint(bindAddress, 0), Answer, keepListeningOnSocketErrors: false);
    }

    public int Port => _responder.Port;

    /// <summary>The sender clock the replies are stamped with.</summary>
    public SimulatedSenderClock Clock { get; }

    /// <summary>Requests answered so far.</summary>
    public int RequestsAnswered => _responder.RequestsAnswered;

    /// <summary>Datagrams left unanswered: malformed ones, and every request when replies are off.</summary>
    public int RequestsIgnored => _responder.PacketsIgnored;

    /// <summary>Stops answering from now on, as a frozen sender does; requests are still received and counted as ignored.</summary>
    public void Freeze() => _frozen = true;

    public ValueTask DisposeAsync() => _responder.DisposeAsync();

    private byte[]? Answer(byte[] request)
    {
        var received = Clock.NtpNow();
        if (!_answerRequests || _frozen || request.Length < TimingPacket.Length || request[1] != TimingPacket.RequestType
            || (_replyLimit is { } limit && _replies >= limit))
        {
            return null;
        }

        _replies++;

        var origin = NtpTimestamp.ReadBigEndian(request.AsSpan(24));
        TimingPacket.WriteReply(_reply, origin, received, Clock.NtpNow());
        return _reply;
    }
}
