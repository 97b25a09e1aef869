namespace Receiver.Sender.Video;

/// <summary>Produces the access units a simulated sender streams, in decode order.</summary>
public interface IVideoSource : IAsyncDisposable
{
    /// <summary>Frames per second used for pacing and for turning <c>--seconds</c> into a frame count.</summary>
    double FrameRate { get; }

    IAsyncEnumerable<SourceAccessUnit> ReadAsync(CancellationToken cancellationToken);
}
