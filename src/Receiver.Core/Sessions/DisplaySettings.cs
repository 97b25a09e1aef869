namespace Receiver.Core.Sessions;

/// <summary>The screen the receiver offers to senders in <c>/info</c> and <c>/stream.xml</c>. Senders pick the actual stream size.</summary>
public sealed record DisplaySettings
{
    public int Width { get; init; } = 1920;

    public int Height { get; init; } = 1080;

    /// <summary>Frames per second of the display; <c>/info</c> sends its reciprocal as <c>refreshRate</c>.</summary>
    public double RefreshRate { get; init; } = 60;

    public int MaxFps { get; init; } = 60;

    public bool Overscanned { get; init; }

    public string Uuid { get; init; } = "e0ff8a27-6738-3d56-8a16-cc53aacee925";
}
