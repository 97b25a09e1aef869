using Receiver.Core.Media;

namespace Receiver.Sender.Video;

/// <summary>Creates the <see cref="IVideoSource"/> a <see cref="VideoSourceSpec"/> describes.</summary>
public static class VideoSourceFactory
{
    /// <summary>Media time of a pattern when no duration is given.</summary>
    public const double DefaultPatternSeconds = 10;

    public static IVideoSource Create(VideoSourceSpec spec, VideoCodec codec, double? seconds, bool fast)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.RotateAt is not null && spec.Kind != VideoSourceKind.Pattern)
        {
            throw new ArgumentException("Rotation needs a test pattern source (--pattern).", nameof(spec));
        }

        switch (spec.Kind)
        {
            case VideoSourceKind.AnnexBFile:
                return new AnnexBFileSource(RequirePath(spec), codec, spec.FrameRate);
            case VideoSourceKind.ContainerFile:
                return FfmpegVideoSource.ForContainer(RequirePath(spec), codec, spec.FrameRate);
            default:
                var total = (long)Math.Round((seconds ?? DefaultPatternSeconds) * spec.FrameRate);
                if (spec.RotateAt is not { } rotateAt || rotateAt * spec.FrameRate >= total)
                {
                    return FfmpegVideoSource.ForPattern(spec.Width, spec.Height, spec.FrameRate, total, codec, realTime: !fast);
                }

                var first = Math.Max(1, (long)Math.Round(rotateAt * spec.FrameRate));
                return new ConcatenatedVideoSource(
                [
                    FfmpegVideoSource.ForPattern(spec.Width, spec.Height, spec.FrameRate, first, codec, realTime: !fast),
                    FfmpegVideoSource.ForPattern(spec.Height, spec.Width, spec.FrameRate, total - first, codec, realTime: !fast),
                ]);
        }
    }

    private static string RequirePath(VideoSourceSpec spec) =>
        spec.Path is { } path && File.Exists(path) ? path : throw new FileNotFoundException("Video input not found.", spec.Path);
}
