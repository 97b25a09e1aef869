namespace Receiver.Core.Diagnostics;

/// <summary>What a <see cref="ProtocolCapture"/> held at one moment: the control exchanges as JSON, the packet headers and the counts of what was dropped.</summary>
public sealed record CaptureSnapshot(
    IReadOnlyList<byte[]> Control,
    IReadOnlyList<CapturedPacket> Packets,
    long StartTimestamp,
    long TimestampFrequency,
    long ControlBytes,
    long DroppedControlEntries,
    long DroppedPacketEntries)
{
    /// <summary>Milliseconds from the capture's start to <paramref name="timestamp"/>.</summary>
    public double Milliseconds(long timestamp) => (timestamp - StartTimestamp) * 1000.0 / TimestampFrequency;
}
