using System.Buffers;

namespace Receiver.Core.Mirroring;

/// <summary>
/// One packet of the mirror data stream: its 128-byte header and a payload that is a slice of the connection's
/// receive buffer, valid only until the reader moves past it.
/// </summary>
public readonly record struct MirrorPacket(MirrorPacketHeader Header, ReadOnlySequence<byte> Payload);
