namespace Receiver.Core.Media;

/// <summary>
/// One coded audio frame (raw AAC, no ADTS header) with its time on the sender's clock. The payload memory belongs
/// to the caller; consumers copy what they keep before returning.
/// </summary>
/// <param name="Payload">One raw AAC frame.</param>
/// <param name="SenderTimestampNanoseconds">When the frame's first sample plays, in nanoseconds on the sender's clock (the clock of the video timestamps).</param>
/// <param name="ReceivedAtTicks">When the RTP packet holding the frame's last input sample arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), or 0.</param>
public readonly record struct AudioAccessUnit(ReadOnlyMemory<byte> Payload, long SenderTimestampNanoseconds, long ReceivedAtTicks = 0);
