using Receiver.Core.Casting;

namespace Receiver.Core.Tests.Casting;

/// <summary>Which segment origins a page fetches directly: one decision per page origin, which the media playlists follow.</summary>
public sealed class HlsCastDirectOriginTests
{
    private const string Master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\nhttp://lists.example/v.m3u8\n";
    private const string Media = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttps://open.example/s1.ts\n#EXTINF:2,\nhttps://closed.example/s2.ts\n#EXTINF:2,\nhttp://plain.example/s3.ts\n#EXT-X-ENDLIST\n";

    [Fact]
    public async Task OriginsThatAllowThePage_GoDirect_TheOthersThroughTheProxy()
    {
        var probe = new Probe(new() { ["https://open.example"] = "*", ["https://closed.example"] = null, ["http://plain.example"] = "http://page.example" });
        var hls = new HlsCast(new Uri("http://lists.example/master.m3u8"), new Source(), "/cast/abc");

        var direct = await hls.DirectOriginsAsync("http://page.example", probe);
        Assert.Equal(["http://plain.example", "https://open.example"], direct.Order(StringComparer.Ordinal));
        var text = await hls.MediaAsync(0, direct, CancellationToken.None);
        Assert.Contains("\nhttps://open.example/s1.ts\n", text, StringComparison.Ordinal);
        Assert.Contains("\n/cast/abc/seg/1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nhttp://plain.example/s3.ts\n", text, StringComparison.Ordinal);

        // A room display's playlist (no direct origins) proxies everything.
        var proxied = await hls.MediaAsync(0, CancellationToken.None);
        Assert.DoesNotContain("example/s", proxied, StringComparison.Ordinal);

        // Decided once per page origin: asking again probes nothing more.
        Assert.Same(await hls.DirectOriginsAsync("http://page.example", probe), direct);
        Assert.Equal(3, probe.Asked.Count);
    }

    [Fact]
    public async Task AnHttpsPage_NeverGetsHttpOrigins_AndOriginsThatAllowAnotherPageDoNotCount()
    {
        var probe = new Probe(new() { ["https://open.example"] = "https://other.example", ["https://closed.example"] = "*", ["http://plain.example"] = "*" });
        var hls = new HlsCast(new Uri("http://lists.example/master.m3u8"), new Source(), "/cast/abc");

        var direct = await hls.DirectOriginsAsync("https://page.example:8443", probe);
        Assert.Equal(["https://closed.example"], direct);
        Assert.DoesNotContain(probe.Asked, a => a.StartsWith("http://plain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProbeThatDoesNotAnswerInTime_LeavesEverythingBehindTheProxy()
    {
        var hls = new HlsCast(new Uri("http://lists.example/master.m3u8"), new Source(), "/cast/abc");
        var direct = await hls.DirectOriginsAsync("http://page.example", new Probe([], hang: true));
        Assert.Empty(direct);
    }

    [Fact]
    public async Task TheMaster_NamesMediaPlaylistsRelativeToItself()
    {
        var hls = new HlsCast(new Uri("http://lists.example/master.m3u8"), new Source(), "/cast/abc");
        Assert.Contains("\n0.m3u8\n", await hls.MasterAsync(CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal("/cast/abc/hls/direct/master.m3u8", hls.DirectMasterPath);
    }

    private sealed class Source : IPlaylistSource
    {
        public Task<string> FetchAsync(Uri url, CancellationToken cancellationToken) =>
            Task.FromResult(url.AbsolutePath == "/master.m3u8" ? Master : Media);
    }

    private sealed class Probe(Dictionary<string, string?> answers, bool hang = false) : ICorsProbe
    {
        public List<string> Asked { get; } = [];

        public async Task<string?> AllowOriginAsync(Uri segment, string pageOrigin, CancellationToken cancellationToken)
        {
            lock (Asked)
            {
                Asked.Add(segment.AbsoluteUri);
            }

            if (hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return answers.GetValueOrDefault(CorsOrigin.Of(segment)!);
        }
    }
}
