namespace Receiver.Core.Media;

/// <summary>
/// One decrypted, complete coded picture. <see cref="Payload"/> is AVCC: NAL units each preceded by a 4-byte
/// big-endian length. The payload memory belongs to the caller; consumers copy what they keep before returning.
/// </summary>
/// <param name="Payload">Length-prefixed NAL units of one picture.</param>
/// <param name="IsKeyframe">True for an IDR (H.264) or IRAP (H.265) picture that decoding can start from.</param>
/// <param name="PresentationTime90k">Presentation time in 90 kHz ticks on the sender's clock.</param>
/// <param name="SenderTimestampNanoseconds">The sender's capture timestamp, for end-to-end latency measurement.</param>
/// <param name="ReceivedAtTicks">When the last byte arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), or 0.</param>
public readonly record struct VideoAccessUnit(
    ReadOnlyMemory<byte> Payload,
    bool IsKeyframe,
    long PresentationTime90k,
    long SenderTimestampNanoseconds,
    long ReceivedAtTicks = 0);
