namespace Receiver.Core.Audio;

/// <summary>
/// One packet leaving the <see cref="AudioJitterBuffer"/> in sequence order. A lost packet (never arrived, resend
/// in vain) has <see cref="IsLost"/> set, no payload and timestamp 0.
/// </summary>
public readonly record struct AudioPacket(ushort Sequence, uint Timestamp, byte[]? Payload, long ReceivedAtTicks)
{
    public bool IsLost => Payload is null;
}
