using System.Net.Http.Json;
using System.Text.Json;
using Receiver.Sender.Casting;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Browser;

/// <summary>
/// An HLS cast's segments go straight from their origin when it lets the page's origin read them, and through the
/// receiver's proxy when it does not; the viewer page's Content-Security-Policy lists exactly the direct origins.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class CastSegmentOriginTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [ChromiumTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task YoutubeLikeHls_SegmentsComeFromTheirOriginOnlyWhenItAllowsCors_AndPlayEitherWay(bool cors)
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var folder = await CastHlsSet.WriteAsync(Path.Combine(Path.GetTempPath(), "cast-cors-" + Guid.NewGuid().ToString("N")), ct);
        await using var media = CastMediaServer.Start(folder, cors: cors);
        var set = CastHlsSet.Open(folder, media.UrlOf(string.Empty));
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        Assert.Equal(101, await phone.OpenReverseAsync("127.0.0.1", host.ControlPort, ct));
        phone.AnswerPlaylistRequests(set);
        Assert.Equal(200, (await phone.PlayAsync(new Uri(CastHlsSet.MasterUrl), 0, "Test pattern", ct)).StatusCode);
        var id = host.Sessions.Sessions.Single().Id;

        var page = await chromium.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) =>
        {
            lock (requested)
            {
                requested.Add(request.Url);
            }
        };
        var response = await page.GotoAsync(new Uri(host.WebUrl, $"/view/{id}").ToString());
        var policy = (await response!.AllHeadersAsync())["content-security-policy"];
        await Eventually.TrueAsync(() => page.EvaluateAsync<double>("() => document.querySelector('video').currentTime").Result > 3, Wait);
        var (proxied, state) = await CastStateAsync(host, ct);
        string[] urls;
        lock (requested)
        {
            urls = [.. requested];
        }

        var origin = $"http://127.0.0.1:{media.Port}";
        var connect = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("connect-src", StringComparison.Ordinal));
        output.WriteLine($"cors {cors}: {connect}; segment GETs {media.SegmentRequests} ({media.CrossOriginSegmentRequests} with an Origin), probes {media.CorsProbes}, proxied {proxied}, state {state}");
        Assert.Equal("playing", state);
        Assert.Contains(urls, u => u.Contains($"/cast/{id}/hls/direct/master.m3u8", StringComparison.Ordinal));
        Assert.Equal(1, media.CorsProbes);
        if (cors)
        {
            // The page's policy admits the segment origin and nothing more; the page fetched every segment from it.
            Assert.Equal($"connect-src 'self' {origin}", connect);
            Assert.True(media.CrossOriginSegmentRequests >= 2, $"{media.CrossOriginSegmentRequests} segment GETs from the page");
            Assert.Equal(media.SegmentRequests, media.CrossOriginSegmentRequests);
            Assert.Equal(0, proxied);
            Assert.Contains(urls, u => u.StartsWith(origin + "/videoplayback/", StringComparison.Ordinal));
            Assert.DoesNotContain(urls, u => u.Contains($"/cast/{id}/seg/", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal("connect-src 'self'", connect);
            Assert.Equal(0, media.CrossOriginSegmentRequests);
            Assert.True(proxied >= 2, $"{proxied} segments through the proxy");
            Assert.DoesNotContain(urls, u => u.StartsWith(origin, StringComparison.Ordinal));
        }

        // Every other page keeps the tight policy.
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        using var dashboard = await http.GetAsync("/", ct);
        Assert.Contains("connect-src 'self';", dashboard.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(200, (await phone.StopAsync(ct)).StatusCode);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    [ChromiumFact]
    public async Task ARoomDisplay_GetsEverySegmentThroughTheProxy_EvenFromACorsOrigin()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var folder = await CastHlsSet.WriteAsync(Path.Combine(Path.GetTempPath(), "cast-room-" + Guid.NewGuid().ToString("N")), ct);
        await using var media = CastMediaServer.Start(folder, cors: true);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        Assert.Equal(200, (await phone.PlayAsync(media.UrlOf("master.m3u8"), 0, null, ct)).StatusCode);

        // A room display's policy was made before any cast, so it lists no segment origin: the proxy serves it.
        var page = await chromium.NewPageAsync();
        var response = await page.GotoAsync(new Uri(host.WebUrl, "/view/").ToString());
        Assert.Contains("connect-src 'self';", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await Eventually.TrueAsync(() => page.EvaluateAsync<double>("() => document.querySelector('video').currentTime").Result > 2, Wait);
        var (proxied, _) = await CastStateAsync(host, ct);
        output.WriteLine($"room display: proxied {proxied}, segment GETs with an Origin {media.CrossOriginSegmentRequests}");
        Assert.True(proxied >= 2);
        Assert.Equal(0, media.CrossOriginSegmentRequests);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<(long Proxied, string State)> CastStateAsync(ReceiverHost host, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var cast = (await http.GetFromJsonAsync<JsonElement>("/api/sessions", ct)).EnumerateArray().Single().GetProperty("cast");
        return (cast.GetProperty("proxiedSegments").GetInt64(), cast.GetProperty("state").GetString()!);
    }
}
