namespace Receiver.Core.Casting;

/// <summary>A sender's reverse (PTTH) channel: the receiver writes requests to the phone on it.</summary>
public interface ICastReverseChannel
{
    /// <summary>Writes one whole request; false when the channel has closed.</summary>
    ValueTask<bool> SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken);
}
