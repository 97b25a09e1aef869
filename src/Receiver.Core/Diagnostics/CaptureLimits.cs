namespace Receiver.Core.Diagnostics;

/// <summary>
/// How much one <see cref="ProtocolCapture"/> may hold, so that a session that runs for hours cannot fill memory or
/// disk. Beyond a cap new entries are dropped and counted; what was recorded before stays.
/// </summary>
public sealed record CaptureLimits
{
    /// <summary>Most mirror and audio packet headers kept (about 11 minutes of 60 fps video with sound at the default).</summary>
    public int MaxPacketEntries { get; init; } = 100_000;

    /// <summary>Most bytes of control exchange (the JSON of requests and responses) kept.</summary>
    public int MaxControlBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Most bytes of control exchange kept while the connection has no session: what any stranger's connection may
    /// make the receiver hold (a phone needs about 20 KB for its /info, pairing, FairPlay and keys SETUP).
    /// </summary>
    public int MaxControlBytesBeforeSession { get; init; } = 256 * 1024;

    /// <summary>Characters of one plist string kept; a longer one is cut there and its length noted.</summary>
    public const int MaxStringLength = 1024;
}
