namespace Receiver.Core.Media;

/// <summary>The 90 kHz clock of video presentation times (RTP video, the fMP4 video track).</summary>
public static class VideoTimescale
{
    /// <summary>Ticks per second.</summary>
    public const int Hz = 90_000;

    /// <summary>Nanoseconds on a timeline to 90 kHz ticks, rounded toward zero, without overflow.</summary>
    public static long FromNanoseconds(long nanoseconds) => (long)((Int128)nanoseconds * Hz / 1_000_000_000);

    /// <summary>90 kHz ticks to microseconds, rounded toward zero.</summary>
    public static long ToMicroseconds(long ticks) => ticks * 100 / 9;

    /// <summary>90 kHz ticks to seconds.</summary>
    public static double ToSeconds(long ticks) => ticks / (double)Hz;

    /// <summary>90 kHz ticks to ticks of another clock (an audio track's sample rate), rounded toward zero.</summary>
    public static long ToTimescale(long ticks, int rate) => ticks * rate / Hz;
}
