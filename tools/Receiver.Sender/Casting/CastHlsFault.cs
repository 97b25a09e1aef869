namespace Receiver.Sender.Casting;

/// <summary>What is wrong with the playlists a YouTube-like phone serves, for the receiver's bad-input paths.</summary>
public enum CastHlsFault
{
    None,

    /// <summary>The master playlist is not a playlist.</summary>
    UnparsablePlaylist,

    /// <summary>A media playlist is larger than the receiver takes.</summary>
    OversizePlaylist,

    /// <summary>The segments' server does not answer.</summary>
    UnreachableSegments,
}
