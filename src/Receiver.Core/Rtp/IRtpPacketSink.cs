namespace Receiver.Core.Rtp;

/// <summary>Where a packetizer puts each RTP packet it makes (a socket, a test's list). The span is reused after the call.</summary>
public interface IRtpPacketSink
{
    void Send(ReadOnlySpan<byte> packet);
}
