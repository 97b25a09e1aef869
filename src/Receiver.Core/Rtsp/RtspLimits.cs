namespace Receiver.Core.Rtsp;

/// <summary>Caps applied to every control-channel request before it is parsed.</summary>
public sealed record RtspLimits
{
    public static RtspLimits Default { get; } = new();

    /// <summary>Request line plus headers, including the blank line.</summary>
    public int MaxHeadBytes { get; init; } = 16 * 1024;

    public int MaxBodyBytes { get; init; } = 1024 * 1024;

    public int MaxHeaderCount { get; init; } = 64;
}
