using System.Net;
using Receiver.Core.Timing;

namespace Receiver.Sender.Sessions;

/// <summary>
/// The sender's NTP-like timing port: answers the receiver's 0xD2 requests with 0xD3 replies carrying the request's
/// transmit time, the arrival time and the reply time on the sender's wall clock (NTP epoch).
/// </summary>
public sealed class TimingResponder : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly byte[] _reply = new byte[TimingPacket.Length];
    private readonly UdpResponder _responder;

    public TimingResponder(IPAddress bindAddress, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _responder = new UdpResponder(new IPEndPoint(bindAddress, 0), Answer, keepListeningOnSocketErrors: false);
    }

    public int Port => _responder.Port;

    /// <summary>Requests answered so far.</summary>
    public int RequestsAnswered => _responder.RequestsAnswered;

    public ValueTask DisposeAsync() => _responder.DisposeAsync();

    private byte[]? Answer(byte[] request)
    {
        var received = Now();
        if (request.Length < TimingPacket.Length || request[1] != TimingPacket.RequestType)
        {
            return null;
        }

        var origin = NtpTimestamp.ReadBigEndian(request.AsSpan(24));
        TimingPacket.WriteReply(_reply, origin, received, Now());
        return _reply;
    }

    private ulong Now() => NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(_time));
}
