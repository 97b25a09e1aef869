using System.Globalization;

namespace Receiver.Sender.Video;

/// <summary>What to stream: a file or a test pattern of <see cref="Width"/>x<see cref="Height"/> at <see cref="FrameRate"/>.</summary>
public sealed record VideoSourceSpec(VideoSourceKind Kind, string? Path, int Width, int Height, double FrameRate)
{
    /// <summary>Switch the pattern to portrait (height x width) after this much media time.</summary>
    public double? RotateAt { get; init; }

    public static VideoSourceSpec ForFile(string path, double frameRate)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        var kind = extension is ".h264" or ".264" or ".h265" or ".265" or ".hevc" ? VideoSourceKind.AnnexBFile : VideoSourceKind.ContainerFile;
        return new VideoSourceSpec(kind, path, 0, 0, frameRate);
    }

    /// <summary>Parses <c>WxH@R</c> (e.g. <c>1280x720@60</c>; the rate defaults to 30).</summary>
    public static VideoSourceSpec ParsePattern(string text)
    {
        var at = text.Split('@');
        var size = at[0].Split('x', 'X');
        if (size.Length != 2
            || !int.TryParse(size[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(size[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            || width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0)
        {
            throw new FormatException($"Pattern '{text}' is not WxH@R with even sizes of at least 16.");
        }

        var rate = 30.0;
        if (at.Length > 1 && (!double.TryParse(at[1], NumberStyles.Float, CultureInfo.InvariantCulture, out rate) || rate <= 0 || rate > 240))
        {
            throw new FormatException($"Pattern '{text}' has an invalid frame rate.");
        }

        return new VideoSourceSpec(VideoSourceKind.Pattern, null, width, height, rate);
    }
}
