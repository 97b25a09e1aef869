namespace Receiver.Core.Control;

/// <summary>A stream entry of a type the receiver does not serve; the SETUP is refused and the connection closed.</summary>
public sealed record UnsupportedStreamRequest(long StreamType) : SetupStreamRequest(StreamType);
