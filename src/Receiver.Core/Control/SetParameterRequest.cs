using System.Globalization;
using System.Text;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Control;

/// <summary>
/// An RTSP <c>SET_PARAMETER</c>. Only <c>text/parameters</c> bodies are read (<c>name: value</c> lines); of them
/// the receiver applies <c>volume</c> (dB, −30…0, −144 = mute). Artwork, DMAP metadata and other parameters are
/// accepted and ignored: they belong to audio-only sessions.
/// </summary>
/// <param name="Volume">The volume set by the request (the last <c>volume</c> line), or null.</param>
public sealed record SetParameterRequest(double? Volume)
{
    /// <summary>Loudest volume, in dB.</summary>
    public const double MaxVolume = 0;

    /// <summary>Quietest volume that is not mute, in dB.</summary>
    public const double MinVolume = -30;

    /// <summary>Mute, in dB.</summary>
    public const double MuteVolume = -144;

    /// <summary>
    /// Reads the request; throws <see cref="ControlRequestException"/>: 451 for a line that is not <c>name: value</c>,
    /// 400 for a volume that is not a number in range.
    /// </summary>
    public static SetParameterRequest Parse(string? contentType, ReadOnlySpan<byte> body)
    {
        if (!string.Equals(contentType, GetParameterRequest.ParametersType, StringComparison.OrdinalIgnoreCase))
        {
            return new SetParameterRequest((double?)null);
        }

        double? volume = null;
        var text = Encoding.ASCII.GetString(body);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new ControlRequestException(RtspStatus.ParameterNotUnderstood, "a SET_PARAMETER line is not 'name: value'");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name == "volume")
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !IsVolume(parsed))
                {
                    throw new ControlRequestException(RtspStatus.BadRequest, "'volume' is not a number in -30..0 or -144");
                }

                volume = parsed;
            }
        }

        return new SetParameterRequest(volume);
    }

    private static bool IsVolume(double volume) =>
        !double.IsNaN(volume) && volume <= MaxVolume && (volume >= MinVolume || volume == MuteVolume);
}
