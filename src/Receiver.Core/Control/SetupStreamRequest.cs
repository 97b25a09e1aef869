using Receiver.Core.Plist;

namespace Receiver.Core.Control;

/// <summary>One entry of a <c>SETUP</c>'s <c>streams</c> array, by its <c>type</c>: 110 video, 96 audio, anything else unsupported.</summary>
public abstract record SetupStreamRequest(long Type)
{
    /// <summary>The <c>type</c> of a screen-mirroring video stream.</summary>
    public const long VideoType = 110;

    /// <summary>The <c>type</c> of an audio stream.</summary>
    public const long AudioType = 96;

    /// <summary>Reads one stream entry; throws <see cref="PlistFormatException"/> naming the missing or malformed key.</summary>
    public static SetupStreamRequest Parse(PlistDict stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var type = stream.GetInt64("type");
        return type switch
        {
            VideoType => VideoStreamRequest.Parse(stream),
            AudioType => AudioStreamRequest.Parse(stream),
            _ => new UnsupportedStreamRequest(type),
        };
    }
}
