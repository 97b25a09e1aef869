using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Receiver.Core.Media;

namespace Receiver.Sender.Casting;

/// <summary>
/// The HLS set a YouTube-like phone casts, made by ffmpeg: a master playlist with two video variants (640x360 and
/// 320x180) and one audio rendition, 10 s in 2 s MPEG-TS segments. The phone hands the playlists over as YouTube does:
/// the master names <c>mlhls://localhost/itag/N/index.m3u8</c> playlists and adds a second audio language and a
/// subtitles rendition (which the receiver is to drop), and each media playlist is condensed
/// (<c>#YT-EXT-CONDENSED-URL</c>: segment lines <c>vp/N/K</c> for <c>BASE-URI/id/N/sq/K</c>), its segments served by
/// <see cref="CastMediaServer"/> on loopback.
/// </summary>
public sealed partial class CastHlsSet
{
    public const string MasterUrl = "mlhls://localhost/master.m3u8";

    private readonly string _folder;

    private CastHlsSet(string folder)
    {
        _folder = folder;
    }

    public CastHlsFault Fault { get; init; }

    /// <summary>Where the segments are: the media server's base (or a closed port for <see cref="CastHlsFault.UnreachableSegments"/>).</summary>
    public required Uri SegmentBase { get; init; }

    /// <summary>Every URL the receiver asked for, in order.</summary>
    public List<string> Requested { get; } = [];

    public static async Task<string> WriteAsync(string folder, CancellationToken cancellationToken)
    {
        var ffmpeg = FfmpegProcess.Locate("ffmpeg") ?? throw new InvalidOperationException("ffmpeg is not on PATH");
        Directory.CreateDirectory(folder);
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=10",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=10",
            "-filter_complex", "[0:v]split=2[v0][v1];[v1]scale=320:180[v1s]",
            "-map", "[v0]", "-map", "[v1s]", "-map", "1:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
            "-b:v:0", "1000k", "-b:v:1", "300k", "-c:a", "aac", "-b:a", "64k",
            "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "mpegts",
            "-hls_segment_filename", Path.Combine(folder, "seg_%v_%d.ts"), "-master_pl_name", "master.m3u8",
            "-var_stream_map", "v:0,agroup:aud v:1,agroup:aud a:0,agroup:aud,language:en,default:yes",
            Path.Combine(folder, "stream_%v.m3u8"),
        ];
        var result = await FfmpegProcess.RunToCompletionAsync(ffmpeg, arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(2), TimeProvider.System, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not make the HLS set: {result.Error}");
        }

        return folder;
    }

    public static CastHlsSet Open(string folder, Uri segmentBase, CastHlsFault fault = CastHlsFault.None) =>
        new(folder) { SegmentBase = segmentBase, Fault = fault };

    /// <summary>The phone's answer to an <c>unhandledURLRequest</c> for <paramref name="url"/>: status and content.</summary>
    public (int Status, byte[] Data) Answer(string url)
    {
        lock (Requested)
        {
            Requested.Add(url);
        }

        if (url == MasterUrl)
        {
            return Fault == CastHlsFault.UnparsablePlaylist
                ? (200, "<html>this is not a playlist</html>"u8.ToArray())
                : (200, Encoding.UTF8.GetBytes(Master()));
        }

        var match = MediaUrl().Match(url);
        if (!match.Success || !File.Exists(Path.Combine(_folder, $"stream_{match.Groups[1].Value}.m3u8")))
        {
            return (404, []);
        }

        var text = Condensed(File.ReadAllText(Path.Combine(_folder, $"stream_{match.Groups[1].Value}.m3u8")), match.Groups[1].Value);
        if (Fault == CastHlsFault.OversizePlaylist)
        {
            // One comment line makes it 600 KiB: more than the receiver takes, within what one request may carry.
            var first = text.IndexOf("#EXTINF", StringComparison.Ordinal);
            text = text[..first] + "# padding " + new string('x', 600 * 1024) + "\n" + text[first..];
        }

        return (200, Encoding.UTF8.GetBytes(text));
    }

    private string Master()
    {
        var master = File.ReadAllText(Path.Combine(_folder, "master.m3u8"));
        master = StreamUri().Replace(master, m => $"mlhls://localhost/itag/{m.Groups[1].Value}/index.m3u8");
        var lines = master.Split('\n').ToList();
        var audio = lines.FindIndex(l => l.StartsWith("#EXT-X-MEDIA:TYPE=AUDIO", StringComparison.Ordinal));
        if (audio >= 0)
        {
            lines.Insert(audio + 1, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"group_aud\",NAME=\"French\",DEFAULT=NO,LANGUAGE=\"fr\",URI=\"mlhls://localhost/itag/2fr/index.m3u8\"");
            lines.Insert(audio + 2, "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\",URI=\"mlhls://localhost/subs/en.m3u8\"");
        }

        return string.Join('\n', lines.Select(l => l.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal) ? l + ",SUBTITLES=\"subs\"" : l));
    }

    private string Condensed(string playlist, string variant)
    {
        var lines = playlist.Split('\n').Select(l => SegmentName().Match(l) is { Success: true } m ? $"vp/{m.Groups[1].Value}/{m.Groups[2].Value}" : l).ToList();
        var baseUri = new Uri(SegmentBase, "videoplayback").AbsoluteUri;
        lines.Insert(1, string.Create(CultureInfo.InvariantCulture, $"#YT-EXT-CONDENSED-URL:BASE-URI=\"{baseUri}\",PARAMS=\"id,sq\",PREFIX=\"vp/\""));
        _ = variant;
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"stream_(\d+)\.m3u8")]
    private static partial Regex StreamUri();

    [GeneratedRegex(@"^mlhls://localhost/itag/(\d+)/index\.m3u8$")]
    private static partial Regex MediaUrl();

    [GeneratedRegex(@"^seg_(\d+)_(\d+)\.ts$")]
    private static partial Regex SegmentName();
}
