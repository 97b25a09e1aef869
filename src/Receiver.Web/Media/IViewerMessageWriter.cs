namespace Receiver.Web.Media;

/// <summary>
/// Writes the messages of one media WebSocket, one at a time: each call returns when its bytes have left the
/// receiver's hands (the payload may then be released to its pool), or throws when the viewer is gone.
/// </summary>
internal interface IViewerMessageWriter
{
    /// <summary>One text message (a format, a volume, the end of the sound).</summary>
    ValueTask WriteTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken);

    /// <summary>One binary message: the media header, then the payload.</summary>
    ValueTask WriteBinaryAsync(MediaFrameHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
