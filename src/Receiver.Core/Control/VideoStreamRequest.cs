using Receiver.Core.Plist;

namespace Receiver.Core.Control;

/// <summary>
/// A type-110 screen-mirroring stream. <paramref name="StreamConnectionId"/> (<c>streamConnectionID</c>, the unsigned
/// reading of its 64 bits) derives the stream's AES key and IV.
/// </summary>
public sealed record VideoStreamRequest(ulong StreamConnectionId) : SetupStreamRequest(VideoType)
{
    /// <summary>Reads a type-110 entry; throws <see cref="PlistFormatException"/> without an integer <c>streamConnectionID</c>.</summary>
    public static new VideoStreamRequest Parse(PlistDict stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.TryGetValue("streamConnectionID", out var id) && id is PlistInteger idValue
            ? new VideoStreamRequest(idValue.AsUInt64Reinterpret())
            : throw new PlistFormatException("video stream without 'streamConnectionID'");
    }
}
