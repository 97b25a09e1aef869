using System.Globalization;
using System.Text;
using Receiver.Core.Control;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Casting;

/// <summary>
/// A <c>POST /play</c>: the video to play (<c>Content-Location</c>), where to start, and who sends it. Phones send a
/// binary plist (<c>Content-Location</c>, <c>Start-Position-Seconds</c>, <c>uuid</c>, <c>clientProcName</c>, sometimes
/// <c>title</c>); older senders send <c>text/parameters</c> lines (<c>Content-Location: …</c>, <c>Start-Position: 0.25</c>,
/// a fraction of the video). A sender that wants the cast refused rather than kept waiting when no viewer page is
/// open says so with <c>requiresViewer</c> true (text form: <c>Requires-Viewer: 1</c>).
/// </summary>
public sealed record CastPlayRequest(string ContentLocation, double? StartSeconds, double? StartFraction, string? Uuid, string? ClientProcName, string? Title)
{
    /// <summary>The sender wants a refusal (503) instead of a cast that waits when no viewer page is open.</summary>
    public bool RequiresViewer { get; init; }

    /// <summary>Longest <c>Content-Location</c> taken (YouTube's signed URLs run to about 2 KiB).</summary>
    public const int MaxLocationLength = 8192;

    /// <summary>Reads the request body; a missing location or an unreadable body is a 400 with the reason.</summary>
    public static CastPlayRequest Parse(string? contentType, ReadOnlySpan<byte> body)
    {
        if (BinaryPlist.IsBinaryPlist(body))
        {
            if (BinaryPlist.Read(body) is not PlistDict dict)
            {
                throw new ControlRequestException(RtspStatus.BadRequest, "play: the plist is not a dictionary");
            }

            return FromPlist(dict);
        }

        if (contentType is not null && contentType.Contains("plist", StringComparison.OrdinalIgnoreCase))
        {
            throw new ControlRequestException(RtspStatus.BadRequest, "play: the body is not a binary plist");
        }

        return FromParameters(body);
    }

    private static CastPlayRequest FromPlist(PlistDict dict)
    {
        var location = dict.GetOptionalString("Content-Location")
            ?? throw new ControlRequestException(RtspStatus.BadRequest, "play: no Content-Location");
        var seconds = dict.TryGetReal("Start-Position-Seconds", out var s) ? s : (double?)null;
        var fraction = dict.TryGetReal("Start-Position", out var f) ? f : (double?)null;
        return Checked(new CastPlayRequest(
            location.Trim(),
            seconds,
            fraction,
            dict.GetOptionalString("uuid"),
            dict.GetOptionalString("clientProcName"),
            dict.GetOptionalString("title") ?? dict.GetOptionalString("Title")) { RequiresViewer = dict.GetOptionalBoolean("requiresViewer") == true });
    }

    private static CastPlayRequest FromParameters(ReadOnlySpan<byte> body)
    {
        string? location = null;
        double? fraction = null;
        var requiresViewer = false;
        foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Location", StringComparison.OrdinalIgnoreCase))
            {
                location = value;
            }
            else if (name.Equals("Start-Position", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var start))
            {
                fraction = start;
            }
            else if (name.Equals("Requires-Viewer", StringComparison.OrdinalIgnoreCase))
            {
                requiresViewer = value is "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("true", StringComparison.OrdinalIgnoreCase);
            }
        }

        return Checked(new CastPlayRequest(
            location ?? throw new ControlRequestException(RtspStatus.BadRequest, "play: no Content-Location"),
            null,
            fraction,
            null,
            null,
            null) { RequiresViewer = requiresViewer });
    }

    private static CastPlayRequest Checked(CastPlayRequest request)
    {
        if (request.ContentLocation.Length is 0 or > MaxLocationLength)
        {
            throw new ControlRequestException(RtspStatus.BadRequest, $"play: Content-Location must have 1 to {MaxLocationLength} characters");
        }

        if (request.StartSeconds is { } s && (double.IsNaN(s) || s < 0))
        {
            return request with { StartSeconds = null };
        }

        return request;
    }
}
