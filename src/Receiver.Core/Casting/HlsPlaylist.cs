using System.Text;
using System.Text.RegularExpressions;

namespace Receiver.Core.Casting;

/// <summary>
/// Rewrites a cast's HLS playlists for the viewer page (RFC 8216 text, pure): the master playlist keeps every variant
/// and, per audio group, one language (the default rendition, else the first) and no subtitles; each URI it names is
/// replaced by the receiver's own address for it. A media playlist has YouTube's condensed segment lines expanded
/// (<c>#YT-EXT-CONDENSED-URL:BASE-URI="…",PARAMS="a,b",PREFIX="p/"</c> makes <c>p/1/2</c> into
/// <c>BASE-URI/a/1/b/2</c>) and every segment and key URI resolved against the playlist and replaced. FairPlay
/// Streaming keys mean a protected video.
/// </summary>
public static partial class HlsPlaylist
{
    /// <summary>Largest playlist taken (YouTube's media playlists of a long video run to a few hundred KiB; kept below the control port's 1 MiB body limit, which the phone's answer must pass).</summary>
    public const int MaxBytes = 512 * 1024;

    /// <summary>What the page and API say about a video protected by FairPlay Streaming.</summary>
    public const string ProtectedVideo = "protected video cannot be played in a browser";

    /// <summary>True when <paramref name="text"/> is a master playlist (it lists variants), false for a media playlist.</summary>
    public static bool IsMaster(string text) => Checked(text).Contains("#EXT-X-STREAM-INF", StringComparison.Ordinal);

    /// <summary>
    /// Rewrites a master playlist; <paramref name="mediaUri"/> gets each kept URI (resolved against
    /// <paramref name="baseUri"/>) and returns what the page fetches instead.
    /// </summary>
    public static string RewriteMaster(string text, Uri baseUri, Func<Uri, string> mediaUri)
    {
        ArgumentNullException.ThrowIfNull(mediaUri);
        var lines = Lines(Checked(text));
        var keptAudio = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.StartsWith("#EXT-X-MEDIA:", StringComparison.Ordinal)))
        {
            if (Attribute(line, "TYPE") == "AUDIO" && Attribute(line, "GROUP-ID") is { } group)
            {
                var language = Attribute(line, "LANGUAGE") ?? Attribute(line, "NAME") ?? string.Empty;
                if (!keptAudio.ContainsKey(group) || Attribute(line, "DEFAULT") == "YES")
                {
                    keptAudio[group] = language;
                }
            }
        }

        var output = new StringBuilder(text.Length);
        var variants = 0;
        var expectVariantUri = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("#EXT-X-SESSION-KEY", StringComparison.Ordinal))
            {
                ThrowIfProtected(line);
            }

            if (line.StartsWith("#EXT-X-MEDIA:", StringComparison.Ordinal))
            {
                var type = Attribute(line, "TYPE");
                if (type is "SUBTITLES" or "CLOSED-CAPTIONS")
                {
                    continue;
                }

                if (type == "AUDIO" && Attribute(line, "GROUP-ID") is { } group
                    && !string.Equals(keptAudio[group], Attribute(line, "LANGUAGE") ?? Attribute(line, "NAME") ?? string.Empty, StringComparison.Ordinal))
                {
                    continue;
                }

                output.Append(ReplaceUriAttribute(line, baseUri, mediaUri)).Append('\n');
                continue;
            }

            if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                output.Append(SubtitlesAttribute().Replace(line, string.Empty)).Append('\n');
                expectVariantUri = true;
                continue;
            }

            if (line.StartsWith("#EXT-X-I-FRAME-STREAM-INF", StringComparison.Ordinal))
            {
                continue;
            }

            if (expectVariantUri && line.Length > 0 && line[0] != '#')
            {
                output.Append(mediaUri(Resolve(baseUri, line))).Append('\n');
                expectVariantUri = false;
                variants++;
                continue;
            }

            output.Append(line).Append('\n');
        }

        return variants == 0 ? throw new HlsPlaylistException("the playlist lists no variant") : output.ToString();
    }

    /// <summary>
    /// Rewrites a media playlist: condensed lines expanded, each segment (and key, and map) URI resolved against
    /// <paramref name="baseUri"/> and replaced by what <paramref name="segmentUri"/> returns.
    /// </summary>
    public static string RewriteMedia(string text, Uri baseUri, Func<Uri, string> segmentUri)
    {
        ArgumentNullException.ThrowIfNull(segmentUri);
        var lines = Lines(Checked(text));
        var condensed = lines.FirstOrDefault(l => l.StartsWith("#YT-EXT-CONDENSED-URL:", StringComparison.Ordinal));
        string? condensedBase = null;
        string[] parameters = [];
        string? prefix = null;
        if (condensed is not null)
        {
            condensedBase = Attribute(condensed, "BASE-URI") ?? throw new HlsPlaylistException("the condensed URL tag has no BASE-URI");
            var names = Attribute(condensed, "PARAMS") ?? throw new HlsPlaylistException("the condensed URL tag has no PARAMS");
            parameters = names.Length == 0 ? [] : names.Split(',');
            prefix = Attribute(condensed, "PREFIX") ?? string.Empty;
        }

        var output = new StringBuilder(text.Length * 2);
        var segments = 0;
        foreach (var line in lines)
        {
            if (line.StartsWith("#YT-EXT-CONDENSED-URL:", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("#EXT-X-KEY", StringComparison.Ordinal))
            {
                ThrowIfProtected(line);
                output.Append(ReplaceUriAttribute(line, baseUri, segmentUri)).Append('\n');
                continue;
            }

            if (line.StartsWith("#EXT-X-MAP", StringComparison.Ordinal))
            {
                output.Append(ReplaceUriAttribute(line, baseUri, segmentUri)).Append('\n');
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                output.Append(line).Append('\n');
                continue;
            }

            var uri = condensedBase is not null && line.StartsWith(prefix!, StringComparison.Ordinal)
                ? Expand(condensedBase, parameters, line[prefix!.Length..])
                : line;
            output.Append(segmentUri(Resolve(baseUri, uri))).Append('\n');
            segments++;
        }

        return segments == 0 && !text.Contains("#EXT-X-ENDLIST", StringComparison.Ordinal) && !text.Contains("#EXTINF", StringComparison.Ordinal)
            ? throw new HlsPlaylistException("the playlist lists no segment")
            : output.ToString();
    }

    /// <summary><c>p/1/2</c> with PARAMS <c>a,b</c> → <c>BASE/a/1/b/2</c>.</summary>
    private static string Expand(string baseUri, string[] parameters, string values)
    {
        var parts = values.Split('/');
        if (parts.Length != parameters.Length)
        {
            throw new HlsPlaylistException($"a condensed segment line has {parts.Length} values for {parameters.Length} parameters");
        }

        var builder = new StringBuilder(baseUri.TrimEnd('/'));
        for (var i = 0; i < parts.Length; i++)
        {
            builder.Append('/').Append(parameters[i]).Append('/').Append(parts[i]);
        }

        return builder.ToString();
    }

    private static string Checked(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            throw new HlsPlaylistException($"the playlist is larger than {MaxBytes / 1024} KiB");
        }

        if (!text.TrimStart('\uFEFF').StartsWith("#EXTM3U", StringComparison.Ordinal))
        {
            throw new HlsPlaylistException("the playlist does not parse (no #EXTM3U)");
        }

        return text;
    }

    private static void ThrowIfProtected(string line)
    {
        if (line.Contains("com.apple.streamingkeydelivery", StringComparison.OrdinalIgnoreCase) || line.Contains("METHOD=SAMPLE-AES", StringComparison.Ordinal))
        {
            throw new HlsPlaylistException(ProtectedVideo);
        }
    }

    private static Uri Resolve(Uri baseUri, string reference)
    {
        if (!Uri.TryCreate(baseUri, reference.Trim(), out var resolved))
        {
            throw new HlsPlaylistException("the playlist names an address that does not parse");
        }

        return resolved;
    }

    private static string[] Lines(string text) => text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToArray();

    private static string ReplaceUriAttribute(string line, Uri baseUri, Func<Uri, string> replace) =>
        UriAttribute().Replace(line, m => $"URI=\"{replace(Resolve(baseUri, m.Groups[1].Value))}\"", 1);

    /// <summary>The value of attribute <paramref name="name"/> of a tag line (quotes removed), or null.</summary>
    public static string? Attribute(string line, string name)
    {
        ArgumentNullException.ThrowIfNull(line);
        foreach (Match match in AttributePair().Matches(line))
        {
            if (match.Groups[1].Value == name)
            {
                return match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value;
            }
        }

        return null;
    }

    [GeneratedRegex("(?<=[:,])([A-Z0-9-]+)=(?:\"([^\"]*)\"|([^,]*))")]
    private static partial Regex AttributePair();

    [GeneratedRegex("URI=\"([^\"]*)\"")]
    private static partial Regex UriAttribute();

    [GeneratedRegex(",SUBTITLES=\"[^\"]*\"|,CLOSED-CAPTIONS=(?:\"[^\"]*\"|NONE)")]
    private static partial Regex SubtitlesAttribute();
}
