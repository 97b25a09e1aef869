using System.Net;

namespace Receiver.Core.Audio;

/// <summary>What an <see cref="AudioStreamSockets"/> hands each datagram to.</summary>
internal interface IAudioDatagramSink
{
    /// <summary>A datagram on the data port (an RTP audio packet), with its arrival on the <see cref="System.Diagnostics.Stopwatch"/> clock.</summary>
    void OnDataPacket(ReadOnlySpan<byte> packet, long receivedAt);

    /// <summary>A datagram on the control port (sync packets, retransmissions) and where it came from.</summary>
    void OnControlPacket(ReadOnlySpan<byte> packet, EndPoint from);
}
