namespace Receiver.Core.Media;

/// <summary>Limits of a <see cref="MediaChannel"/>.</summary>
public sealed record MediaChannelOptions
{
    /// <summary>Most messages a viewer may have waiting before it is skipped to the next keyframe.</summary>
    public int MaxQueuedMessages { get; init; } = 256;

    /// <summary>
    /// Most bytes a viewer may have waiting before it is skipped to the next keyframe: 1.7 s of a 20 Mbit/s stream,
    /// 4 s of an 8 Mbit/s one (where <see cref="MaxQueuedMessages"/> comes first). What a slow viewer's queue holds
    /// beyond the GOP cache stays resident as long as it waits (docs/PERFORMANCE.md, "Load against UxPlay").
    /// </summary>
    public long MaxQueuedBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Most bytes of the current GOP kept for late joiners; a longer GOP is forgotten and late joiners start
    /// at the next keyframe.
    /// </summary>
    public long MaxGopBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Precede each fragment with a prft box carrying the sender timestamp.</summary>
    public bool WriteProducerReferenceTime { get; init; }

    /// <summary>Where the channel's video fragments come from and return to; null: <see cref="FragmentPool.Shared"/>.</summary>
    public FragmentPool? FragmentPool { get; init; }
}
