using System.Runtime.CompilerServices;
using Receiver.Core.Media;

namespace Receiver.Web.Media;

/// <summary>
/// A session format as browsers receive it. With low decoder delay (H.264 only; mirroring streams have no
/// B-frames) every SPS is rewritten so that the decoder outputs each picture at once, and the init segment and
/// avcC description are built from the rewritten SPS. Computed once per format and shared by all viewers.
/// </summary>
public sealed class BrowserFormat
{
    private static readonly ConditionalWeakTable<MediaMessage.FormatChanged, BrowserFormat> LowDelay = [];
    private static readonly ConditionalWeakTable<MediaMessage.FormatChanged, BrowserFormat> AsSent = [];

    private BrowserFormat(VideoFormat format, byte[] initSegment, bool lowDelay)
    {
        Format = format;
        InitSegment = initSegment;
        IsLowDelay = lowDelay;
        MseMessage = MediaFormatMessage.Create(format, MediaStreamMode.Mse, lowDelay).ToUtf8Json();
        WebCodecsMessage = MediaFormatMessage.Create(format, MediaStreamMode.WebCodecs, lowDelay).ToUtf8Json();
    }

    public VideoFormat Format { get; }

    public byte[] InitSegment { get; }

    public bool IsLowDelay { get; }

    public byte[] MseMessage { get; }

    public byte[] WebCodecsMessage { get; }

    public byte[] FormatMessage(MediaStreamMode mode) => mode == MediaStreamMode.WebCodecs ? WebCodecsMessage : MseMessage;

    /// <summary>The browser form of <paramref name="message"/>, with or without the low-decoder-delay rewrite.</summary>
    public static BrowserFormat For(MediaMessage.FormatChanged message, bool lowDelay)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!lowDelay || message.Format.Codec != VideoCodec.H264)
        {
            return AsSent.GetValue(message, m => new BrowserFormat(m.Format, m.InitSegment, lowDelay: false));
        }

        return LowDelay.GetValue(message, Rewrite);
    }

    private static BrowserFormat Rewrite(MediaMessage.FormatChanged message)
    {
        try
        {
            var format = message.Format.WithLowDecoderDelay();
            return new BrowserFormat(format, new Fmp4Muxer().CreateInitSegment(format), lowDelay: true);
        }
        catch (MediaFormatException)
        {
            return new BrowserFormat(message.Format, message.InitSegment, lowDelay: false);
        }
    }
}
