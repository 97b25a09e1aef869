namespace Receiver.Core.Sessions;

/// <summary>A type-110 stream set up on the control channel whose data connection has not arrived yet.</summary>
public sealed record PendingMirrorStream(MirroringSession Session, ulong StreamConnectionId, ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Iv, bool Encrypted = true);
