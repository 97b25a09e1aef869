using System.Buffers;

namespace Receiver.Core.Mirroring;

/// <summary>What a mirror data connection's packets are handed to, one at a time, in the order they arrived.</summary>
public interface IMirrorPacketSink
{
    /// <summary>
    /// Handles one packet; <paramref name="payload"/> is valid only during the call. Throws
    /// <see cref="MirrorProtocolException"/> when the stream cannot go on.
    /// </summary>
    void Process(in MirrorPacketHeader header, in ReadOnlySequence<byte> payload);
}
