namespace Receiver.Core.Audio;

/// <summary>
/// One packet leaving the <see cref="AudioJitterBuffer"/> in sequence order. Its payload lies in a pooled
/// <see cref="Buffer"/> that the receiver of the packet hands back with <see cref="AudioJitterBuffer.Release"/>.
/// A lost packet (never arrived, resend in vain) has <see cref="IsLost"/> set, no payload and timestamp 0.
/// </summary>
public readonly record struct AudioPacket(ushort Sequence, uint Timestamp, byte[]? Buffer, int Length, long ReceivedAtTicks)
{
    public bool IsLost => Buffer is null;

    /// <summary>The RTP payload (empty for a lost packet).</summary>
    public Span<byte> Payload => Buffer.AsSpan(0, Length);
}
