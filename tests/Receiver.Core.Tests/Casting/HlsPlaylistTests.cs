using Receiver.Core.Casting;

namespace Receiver.Core.Tests.Casting;

public sealed class HlsPlaylistTests
{
    private const string Master = """
        #EXTM3U
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="English",LANGUAGE="en",DEFAULT=YES,URI="mlhls://localhost/itag/140/index.m3u8"
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="Deutsch",LANGUAGE="de",DEFAULT=NO,URI="mlhls://localhost/itag/141/index.m3u8"
        #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="s",NAME="English",LANGUAGE="en",URI="mlhls://localhost/subs/en.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS="avc1.4d401f",AUDIO="a",SUBTITLES="s"
        mlhls://localhost/itag/136/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=300000,CODECS="avc1.4d400d",AUDIO="a",SUBTITLES="s"
        mlhls://localhost/itag/133/index.m3u8
        """;

    [Fact]
    public void RewriteMaster_KeepsVariantsAndTheDefaultLanguage_DropsOtherLanguagesAndSubtitles()
    {
        var named = new List<Uri>();
        var text = HlsPlaylist.RewriteMaster(Master, new Uri("mlhls://localhost/master.m3u8"), u =>
        {
            named.Add(u);
            return $"/cast/x/hls/{named.Count - 1}.m3u8";
        });

        Assert.Equal(
            ["mlhls://localhost/itag/140/index.m3u8", "mlhls://localhost/itag/136/index.m3u8", "mlhls://localhost/itag/133/index.m3u8"],
            named.Select(u => u.OriginalString));
        Assert.Contains("URI=\"/cast/x/hls/0.m3u8\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Deutsch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SUBTITLES", text, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS=\"avc1.4d401f\",AUDIO=\"a\"\n/cast/x/hls/1.m3u8\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("mlhls", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RewriteMedia_ExpandsCondensedLines_AndReplacesEverySegment()
    {
        const string media = """
            #EXTM3U
            #YT-EXT-CONDENSED-URL:BASE-URI="https://rr1.example.com/videoplayback/expire/1/itag/136",PARAMS="sq,dur",PREFIX="cs/"
            #EXT-X-TARGETDURATION:2
            #EXTINF:2.0,
            cs/0/2.000
            #EXTINF:2.0,
            cs/1/2.000
            #EXT-X-ENDLIST
            """;
        var segments = new List<string>();
        var text = HlsPlaylist.RewriteMedia(media, new Uri("mlhls://localhost/itag/136/index.m3u8"), u =>
        {
            segments.Add(u.AbsoluteUri);
            return $"/cast/x/seg/{segments.Count - 1}";
        });

        Assert.Equal(
            ["https://rr1.example.com/videoplayback/expire/1/itag/136/sq/0/dur/2.000", "https://rr1.example.com/videoplayback/expire/1/itag/136/sq/1/dur/2.000"],
            segments);
        Assert.DoesNotContain("YT-EXT", text, StringComparison.Ordinal);
        Assert.Contains("#EXTINF:2.0,\n/cast/x/seg/1\n#EXT-X-ENDLIST", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RewriteMedia_ResolvesRelativeSegmentsAgainstThePlaylist()
    {
        var segments = new List<string>();
        HlsPlaylist.RewriteMedia("#EXTM3U\n#EXTINF:2,\nseg_0.ts\n#EXT-X-ENDLIST\n", new Uri("http://10.0.0.5/v/index.m3u8"), u =>
        {
            segments.Add(u.AbsoluteUri);
            return "/s";
        });
        Assert.Equal(["http://10.0.0.5/v/seg_0.ts"], segments);
    }

    [Theory]
    [InlineData("<html></html>", "the playlist does not parse (no #EXTM3U)")]
    [InlineData("#EXTM3U\n#YT-EXT-CONDENSED-URL:BASE-URI=\"http://a/b\",PARAMS=\"sq,dur\",PREFIX=\"cs/\"\n#EXTINF:2,\ncs/1\n", "a condensed segment line has 1 values for 2 parameters")]
    [InlineData("#EXTM3U\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://key\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n#EXTINF:2,\nseg.ts\n", HlsPlaylist.ProtectedVideo)]
    public void RewriteMedia_OfABadPlaylist_ThrowsTheReason(string text, string reason)
    {
        var ex = Assert.Throws<HlsPlaylistException>(() => HlsPlaylist.RewriteMedia(text, new Uri("http://a/p.m3u8"), _ => "/s"));
        Assert.Equal(reason, ex.Message);
    }

    [Fact]
    public void AnOversizePlaylist_IsRefusedBeforeItIsRead()
    {
        var text = "#EXTM3U\n#" + new string('x', HlsPlaylist.MaxBytes) + "\n";
        var ex = Assert.Throws<HlsPlaylistException>(() => HlsPlaylist.IsMaster(text));
        Assert.Equal("the playlist is larger than 512 KiB", ex.Message);
    }

    [Fact]
    public void RewriteMaster_WithoutVariants_IsRefused() =>
        Assert.Throws<HlsPlaylistException>(() => HlsPlaylist.RewriteMaster("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", new Uri("http://a/m.m3u8"), _ => "/x"));
}
