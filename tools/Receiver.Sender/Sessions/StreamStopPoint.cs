namespace Receiver.Sender.Sessions;

/// <summary>
/// Where a simulated stream stops early, whichever comes first: a time into the stream (<c>--freeze-after</c>), a
/// number of video frames (<c>--abort mid-stream:…</c>) or of audio packets (<c>--abort mid-audio:…</c>).
/// </summary>
public sealed record StreamStopPoint
{
    public TimeSpan? AfterStreaming { get; init; }

    public long? AfterFrames { get; init; }

    public long? AfterAudioPackets { get; init; }

    /// <summary>True once the stream has run <see cref="AfterStreaming"/>, or sent its frames or audio packets.</summary>
    public bool IsDue(TimeSpan streamed, long framesSent, long audioPacketsSent) =>
        streamed >= AfterStreaming || framesSent >= AfterFrames || audioPacketsSent >= AfterAudioPackets;

    /// <summary>The stop point of a frozen sender (<see cref="SenderOptions.FreezeAfter"/>), or null.</summary>
    public static StreamStopPoint? Freeze(SenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.FreezeAfter is { } after ? new StreamStopPoint { AfterStreaming = after } : null;
    }

    /// <summary>The stop point of a planned mid-stream or mid-audio stop (<see cref="SenderOptions.Abort"/>), or null.</summary>
    public static StreamStopPoint? Abort(SenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Abort switch
        {
            { Step: SenderAbortStep.MidStream } abort => new StreamStopPoint { AfterFrames = abort.AfterFrames },
            { Step: SenderAbortStep.MidAudio } abort => new StreamStopPoint { AfterAudioPackets = abort.AfterAudioPackets },
            _ => null,
        };
    }
}
