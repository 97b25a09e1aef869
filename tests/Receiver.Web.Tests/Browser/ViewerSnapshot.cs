namespace Receiver.Web.Tests.Browser;

/// <summary>What the viewer page showed at one moment.</summary>
public sealed record ViewerSnapshot(
    string State,
    string Mode,
    long FramesPresented,
    int Width,
    int Height,
    int LatencyCount,
    string Message,
    double FirstFrameMs,
    bool LowDelay,
    long DroppedFrames,
    string LastError,
    int LoadMarker);
