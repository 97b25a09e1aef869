using Receiver.Core.Mirroring;

namespace Receiver.Web.Connections;

/// <summary>
/// A connection feature of the mirror port's own transport: the connection's packets can be read on the thread that
/// reads its socket, straight out of the socket and handed to the sink where they were read, with no pipe and no
/// thread hand-off per read. Connections of other transports do not have it and are read through their pipe.
/// </summary>
public interface IMirrorPacketReadFeature
{
    /// <summary>
    /// Reads packets until the sender closes and returns the bytes left unparsed then (0 = a clean end).
    /// <paramref name="held"/> are the bytes read from the connection's input but not yet parsed: their packets and
    /// those still in the input pipe are handed over at once, on the caller's thread, and the reading thread goes on
    /// from there, straight from the socket. Throws
    /// <see cref="MirrorProtocolException"/> (<see cref="MirrorProtocolError.Silent"/> when nothing arrived for
    /// <paramref name="idleTimeout"/>, timed by <paramref name="time"/>), what the sink throws, or
    /// <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> is cancelled. Nothing may read
    /// the connection's input afterwards.
    /// </summary>
    Task<long> ReadPacketsAsync(byte[] held, IMirrorPacketSink sink, int maxPayload, TimeSpan idleTimeout, TimeProvider time, CancellationToken cancellationToken);
}
