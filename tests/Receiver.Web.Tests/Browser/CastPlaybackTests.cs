using System.Net.Http.Json;
using System.Text.Json;
using Receiver.Sender.Casting;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Browser;

/// <summary>A video cast with <c>POST /play</c> plays in viewer pages on the receiver's timeline, and the phone's controls apply.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class CastPlaybackTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [ChromiumFact]
    public async Task DirectMp4_PlaysSeeksPausesAndStops_OnTheReceiversTimeline()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var folder = Path.Combine(Path.GetTempPath(), "cast-clip-" + Guid.NewGuid().ToString("N"));
        await CastClip.WriteMp4Async(folder, 20, ct);
        await using var media = CastMediaServer.Start(folder);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        Assert.Equal(101, await phone.OpenReverseAsync("127.0.0.1", host.ControlPort, ct));
        phone.AnswerPlaylistRequests(null);
        Assert.Equal(200, (await phone.ServerInfoAsync(ct)).StatusCode);
        Assert.Equal(200, (await phone.PlayAsync(media.UrlOf("clip.mp4"), 0, "Test pattern", ct)).StatusCode);

        await PlayAndControlAsync(host, phone, "127.0.0.1", 20, ct);
        Directory.Delete(folder, recursive: true);
    }

    [ChromiumTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SimulatorCastCommand_PlaysPausesSeeksResumesAndStops_WithAViewerPageOpen(bool youtubeLike)
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var folder = Path.Combine(Path.GetTempPath(), "cast-clip-" + Guid.NewGuid().ToString("N"));
        if (youtubeLike)
        {
            await CastHlsSet.WriteAsync(folder, cts.Token);
        }
        else
        {
            await CastClip.WriteMp4Async(folder, 20, cts.Token);
        }

        await using var media = CastMediaServer.Start(folder);
        var playlists = youtubeLike ? CastHlsSet.Open(folder, media.UrlOf(string.Empty)) : null;
        var url = youtubeLike ? new Uri(CastHlsSet.MasterUrl) : media.UrlOf("clip.mp4");
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        var log = new StringWriter();
        var script = CastScript.RunAsync("127.0.0.1", host.ControlPort, url, "Script", TimeSpan.FromSeconds(60), log, cts.Token, playlists);
        await Eventually.TrueAsync(() => host.Sessions.Count == 1, Wait);
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, $"/view/{host.Sessions.Sessions.Single().Id}").ToString());
        var problems = await script;
        output.WriteLine(log.ToString());
        Assert.Empty(problems);
        Assert.True(media.Requests > 0);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    [ChromiumFact]
    public async Task UnreachableVideo_FailsWithTheReasonInThePageAndTheApi()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        var folder = Path.Combine(Path.GetTempPath(), "cast-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var media = CastMediaServer.Start(folder);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        Assert.Equal(200, (await phone.PlayAsync(media.UrlOf("missing.mp4"), 0, null, ct)).StatusCode);
        var id = host.Sessions.Sessions.Single().Id;
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, $"/view/{id}").ToString());
        await Eventually.TrueAsync(() => page.EvaluateAsync<string>("() => document.body.dataset.state").Result == "failed", Wait);
        var message = await page.EvaluateAsync<string>("() => document.querySelector('[data-role=message]').textContent");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var state = (await http.GetFromJsonAsync<JsonElement>($"/api/sessions", ct)).EnumerateArray().Single().GetProperty("cast").GetProperty("state").GetString();
        output.WriteLine($"page: {message}; api: {state}");
        Assert.StartsWith("failed: ", state, StringComparison.Ordinal);
        Assert.Contains("could not", message, StringComparison.Ordinal);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    [ChromiumFact]
    public async Task YoutubeLikeHls_PlaysSeeksPausesAndStops_OnTheReceiversTimeline()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var folder = await CastHlsSet.WriteAsync(Path.Combine(Path.GetTempPath(), "cast-hls-" + Guid.NewGuid().ToString("N")), ct);
        await using var media = CastMediaServer.Start(folder);
        var set = CastHlsSet.Open(folder, media.UrlOf(string.Empty));
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        Assert.Equal(101, await phone.OpenReverseAsync("127.0.0.1", host.ControlPort, ct));
        phone.AnswerPlaylistRequests(set);
        Assert.Equal(200, (await phone.PlayAsync(new Uri(CastHlsSet.MasterUrl), 0, "Test pattern", ct)).StatusCode);
        await PlayAndControlAsync(host, phone, "localhost", 10, ct);

        // The receiver asked the phone for the master and the kept renditions only: no French audio, no subtitles.
        output.WriteLine(string.Join(", ", set.Requested.Distinct()));
        Assert.Contains(CastHlsSet.MasterUrl, set.Requested);
        Assert.Contains("mlhls://localhost/itag/2/index.m3u8", set.Requested);
        Assert.DoesNotContain(set.Requested, u => u.Contains("2fr", StringComparison.Ordinal) || u.Contains("subs", StringComparison.Ordinal));
        Assert.True(media.Requests >= 3, "segments came through the receiver's proxy");
        Directory.Delete(folder, recursive: true);
    }

    [ChromiumFact]
    public async Task HttpHls_IsFetchedRewrittenAndProxiedByTheReceiver_AndPlays()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var folder = await CastHlsSet.WriteAsync(Path.Combine(Path.GetTempPath(), "cast-hls-" + Guid.NewGuid().ToString("N")), ct);
        await using var media = CastMediaServer.Start(folder);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        Assert.Equal(200, (await phone.PlayAsync(media.UrlOf("master.m3u8"), 0, null, ct)).StatusCode);
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
        await page.GotoAsync(new Uri(host.WebUrl, $"/view/{id}").ToString());
        await Eventually.TrueAsync(() => CurrentTime(page).Result > 2, Wait);
        string[] urls;
        lock (requested)
        {
            urls = [.. requested];
        }

        // The page fetched playlists and segments from the receiver only, never from the video's origin.
        Assert.Contains(urls, u => u.Contains($"/cast/{id}/hls/direct/master.m3u8", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.Contains($"/cast/{id}/seg/", StringComparison.Ordinal));
        Assert.DoesNotContain(urls, u => u.StartsWith(media.UrlOf(string.Empty).ToString(), StringComparison.Ordinal));
        Assert.True(media.Requests >= 3);
        Assert.Equal(200, (await phone.StopAsync(ct)).StatusCode);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    [ChromiumTheory]
    [InlineData(CastHlsFault.UnparsablePlaylist, "failed: the playlist does not parse (no #EXTM3U)")]
    [InlineData(CastHlsFault.OversizePlaylist, "failed: the playlist is larger than 512 KiB")]
    [InlineData(CastHlsFault.UnreachableSegments, "failed: segments cannot be reached (connection refused)")]
    public async Task BadHls_FailsWithTheReasonInThePageAndTheApi_AndTheReceiverKeepsServing(CastHlsFault fault, string expected)
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var folder = await CastHlsSet.WriteAsync(Path.Combine(Path.GetTempPath(), "cast-hls-" + Guid.NewGuid().ToString("N")), ct);
        await using var media = CastMediaServer.Start(folder);
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var set = CastHlsSet.Open(folder, fault == CastHlsFault.UnreachableSegments ? new Uri($"http://127.0.0.1:{closedPort}/") : media.UrlOf(string.Empty), fault);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        Assert.Equal(101, await phone.OpenReverseAsync("127.0.0.1", host.ControlPort, ct));
        phone.AnswerPlaylistRequests(set);
        Assert.Equal(200, (await phone.PlayAsync(new Uri(CastHlsSet.MasterUrl), 0, null, ct)).StatusCode);
        var id = host.Sessions.Sessions.Single().Id;
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, $"/view/{id}").ToString());
        await Eventually.TrueAsync(() => page.EvaluateAsync<string>("() => document.body.dataset.state").Result == "failed", Wait);
        var message = await page.EvaluateAsync<string>("() => document.querySelector('[data-role=message]').textContent");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var state = (await http.GetFromJsonAsync<JsonElement>("/api/sessions", ct)).EnumerateArray().Single().GetProperty("cast").GetProperty("state").GetString();
        output.WriteLine($"page: {message}; api: {state}");
        Assert.Equal(expected, state);
        Assert.Equal($"Cannot play this video ({expected["failed: ".Length..]})", message);

        // The receiver keeps serving: the phone's connection answers, and the cast stops.
        Assert.Equal(200, (await phone.ServerInfoAsync(ct)).StatusCode);
        Assert.Equal(200, (await phone.StopAsync(ct)).StatusCode);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    private async Task PlayAndControlAsync(ReceiverHost host, CastClient phone, string castHost, double duration, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var sessions = await http.GetFromJsonAsync<JsonElement>("/api/sessions", ct);
        var session = sessions.EnumerateArray().Single();
        Assert.Equal("video", session.GetProperty("kind").GetString());
        Assert.Equal(castHost, session.GetProperty("cast").GetProperty("host").GetString());
        var id = session.GetProperty("id").GetString()!;

        var first = await chromium.NewPageAsync();
        var second = await chromium.NewPageAsync();
        await first.GotoAsync(new Uri(host.WebUrl, $"/view/{id}").ToString());
        try
        {
            await Eventually.TrueAsync(() => CurrentTime(first).Result > 2, Wait);
        }
        catch
        {
            output.WriteLine(await first.EvaluateAsync<string>("() => { const v = document.querySelector('video'); return JSON.stringify({ state: document.body.dataset.state, cast: document.body.dataset.castState, src: v.src, ready: v.readyState, network: v.networkState, paused: v.paused, time: v.currentTime, error: v.error && v.error.code, message: document.querySelector('[data-role=message]').textContent, last: window.__viewerStats.lastError }); }"));
            throw;
        }
        await second.GotoAsync(new Uri(host.WebUrl, $"/view/{id}").ToString());
        await Eventually.TrueAsync(() => CurrentTime(second).Result > 3, Wait);
        Assert.Equal("Test pattern", await first.TitleAsync());

        // With its sound: the page plays unmuted and decodes the audio track.
        await Eventually.TrueAsync(() => first.EvaluateAsync<bool>("() => { const v = document.querySelector('video'); return !v.muted && v.webkitAudioDecodedByteCount > 0; }").Result, Wait);

        // Advancing, two pages together, /playback-info truthful.
        var worstPair = 0.0;
        var worstInfo = 0.0;
        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(250, ct);
            var a = await CurrentTime(first);
            var b = await CurrentTime(second);
            var info = await phone.PlaybackInfoAsync(ct);
            var a2 = await CurrentTime(first);
            worstPair = Math.Max(worstPair, Math.Abs(a - b));
            worstInfo = Math.Max(worstInfo, Math.Abs(info.Position - ((a + a2) / 2)));
            Assert.True(info.ReadyToPlay);
            Assert.Equal(1, info.Rate);
        }

        output.WriteLine($"playing: pages apart at most {worstPair:0.000} s; playback-info from the page at most {worstInfo:0.000} s");
        Assert.True(worstPair <= 0.3, $"pages {worstPair:0.000} s apart");
        Assert.True(worstInfo <= 0.5, $"playback-info {worstInfo:0.000} s from the page");
        var infoNow = await phone.PlaybackInfoAsync(ct);
        Assert.InRange(infoNow.Duration, duration - 0.5, duration + 0.5);
        Assert.True(infoNow.LoadedRanges > 0);

        // Seek to 6 s (from further on, so the move is real).
        await Eventually.TrueAsync(() => CurrentTime(first).Result > 7.5, Wait);
        Assert.Equal(200, (await phone.ScrubAsync(6, ct)).StatusCode);
        await Task.Delay(500, ct);
        var afterSeek = await CurrentTime(first);
        var infoAfterSeek = await phone.PlaybackInfoAsync(ct);
        output.WriteLine($"0.5 s after a seek to 6 s: page {afterSeek:0.000} s, playback-info {infoAfterSeek.Position:0.000} s, second page {await CurrentTime(second):0.000} s");
        Assert.InRange(afterSeek, 5.9, 7.1);
        Assert.InRange(await CurrentTime(second), 5.9, 7.1);

        // Pause holds.
        Assert.Equal(200, (await phone.RateAsync(0, ct)).StatusCode);
        await Task.Delay(500, ct);
        var paused = await CurrentTime(first);
        await Task.Delay(1500, ct);
        var stillPaused = await CurrentTime(first);
        var pausedInfo = await phone.PlaybackInfoAsync(ct);
        output.WriteLine($"paused at {paused:0.000} s, 1.5 s later {stillPaused:0.000} s; playback-info {pausedInfo.Position:0.000} s rate {pausedInfo.Rate}");
        Assert.True(Math.Abs(stillPaused - paused) < 0.05);
        Assert.Equal(0, pausedInfo.Rate);
        Assert.True(Math.Abs(pausedInfo.Position - stillPaused) <= 0.5);
        Assert.True(Math.Abs(await CurrentTime(second) - stillPaused) <= 0.3);

        // The phone heard each state on its reverse channel.
        await Eventually.TrueAsync(() => Events(phone).Contains("paused"), Wait);
        Assert.Equal(["loading", "playing", "paused"], Events(phone).Distinct());

        // Resume advances again.
        Assert.Equal(200, (await phone.RateAsync(1, ct)).StatusCode);
        await Eventually.TrueAsync(() => CurrentTime(first).Result > stillPaused + 1, Wait);

        // Stop ends the session and the pages.
        Assert.Equal(200, (await phone.StopAsync(ct)).StatusCode);
        await Eventually.TrueAsync(() => first.EvaluateAsync<string>("() => document.body.dataset.state").Result == "ended", Wait);
        await Eventually.TrueAsync(() => second.EvaluateAsync<string>("() => document.body.dataset.state").Result == "ended", Wait);
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("/api/sessions", ct)).EnumerateArray());
        Assert.False((await phone.PlaybackInfoAsync(ct)).ReadyToPlay);
        await Eventually.TrueAsync(() => Events(phone).LastOrDefault() == "stopped", Wait);

        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }

    private static string[] Events(CastClient phone)
    {
        lock (phone.Events)
        {
            return [.. phone.Events];
        }
    }

    private static Task<double> CurrentTime(Microsoft.Playwright.IPage page) =>
        page.EvaluateAsync<double>("() => document.querySelector('video').currentTime");
}
