namespace Receiver.ViewerBench;

/// <summary>One cell of the benchmark matrix: a player, sound on or off, a clip size and the machine's load.</summary>
public sealed record BenchCase(string Player, bool Sound, ClipSize Size, bool Busy)
{
    public string Name => $"{Player} sound-{(Sound ? "on" : "off")} {Size.Name} {(Busy ? "busy" : "quiet")}";
}

/// <summary>A pre-encoded clip's picture size, frame rate and bit rate.</summary>
public sealed record ClipSize(string Name, int Width, int Height, int Fps, int KilobitsPerSecond)
{
    public static ClipSize Parse(string text) => text.ToLowerInvariant() switch
    {
        "720p60" => new ClipSize("720p60", 1280, 720, 60, 8000),
        "1080p60" => new ClipSize("1080p60", 1920, 1080, 60, 12000),
        "720p30" => new ClipSize("720p30", 1280, 720, 30, 6000),
        "360p60" => new ClipSize("360p60", 640, 360, 60, 2500),
        _ => throw new ArgumentException($"unknown size {text} (720p60, 1080p60, 720p30, 360p60)"),
    };
}
