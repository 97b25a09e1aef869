using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Receiver.Core.Plist;
using Receiver.Core.Sessions;
using Receiver.Sender.Casting;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Casting;

/// <summary>The casting requests of the control port against a real receiver: refusals, DRM, the session's life.</summary>
public sealed class CastControlTests
{
    [Theory]
    [InlineData("file:///etc/passwd", "file: URLs are refused")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local addresses are internal-only")]
    [InlineData("http://[fe80::1]/clip.mp4", "link-local addresses are internal-only")]
    [InlineData("http://127.0.0.1:9/clip.mp4", "loopback addresses are internal-only")]
    [InlineData("http://localhost/clip.mp4", "loopback addresses are internal-only")]
    [InlineData("ftp://example.com/clip.mp4", "ftp: URLs are not supported")]
    public async Task Play_OfAFileOrInternalOnlyUrl_IsRefusedAndStartsNothing(string url, string reason)
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, CancellationToken.None);
        var response = await phone.PlayAsync(new Uri(url), 0, null, CancellationToken.None);
        Assert.Equal(403, response.StatusCode);
        Assert.Equal($"refused: {reason}", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(0, host.Sessions.Count);

        // The connection goes on serving.
        Assert.Equal(200, (await phone.ServerInfoAsync(CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task Play_OfALanUrl_StartsAVideoSessionWithHubEvents_AndTheDashboardCanStopIt()
    {
        await using var host = await ReceiverHost.StartAsync();
        using var events = host.Events.Subscribe();
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, CancellationToken.None);
        var info = await phone.ServerInfoAsync(CancellationToken.None);
        var features = ((PlistDict)XmlPlist.Read(info.Body)).GetInt64("features");
        Assert.Equal(1, features & 1);
        Assert.Equal(0x10, features & 0x10);

        Assert.Equal(200, (await phone.PlayAsync(new Uri("http://192.168.1.20:8080/movie.mp4"), 3, "A movie", CancellationToken.None)).StatusCode);
        var session = host.Sessions.Sessions.Single();
        Assert.Equal("video", session.Kind);
        var playback = await phone.PlaybackInfoAsync(CancellationToken.None);
        Assert.Equal(3, playback.Position, 3);
        Assert.False(playback.ReadyToPlay);

        Assert.Equal(200, (await phone.RateAsync(0, CancellationToken.None)).StatusCode);
        Assert.Equal(400, (await phone.SendAsync("POST", "/scrub?position=abc", default, null, CancellationToken.None)).StatusCode);
        var property = await phone.SendAsync("PUT", "/setProperty?forwardEndTime", default, null, CancellationToken.None);
        Assert.Equal(0, ((PlistDict)XmlPlist.Read(property.Body)).GetInt64("errorCode"));

        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var listed = (await http.GetFromJsonAsync<JsonElement>("/api/sessions")).EnumerateArray().Single();
        Assert.Equal("video", listed.GetProperty("kind").GetString());
        Assert.Equal("192.168.1.20", listed.GetProperty("cast").GetProperty("host").GetString());
        Assert.Equal("A movie", listed.GetProperty("cast").GetProperty("title").GetString());

        Assert.True((await http.DeleteAsync($"/api/sessions/{session.Id}")).IsSuccessStatusCode);
        var seen = new List<SessionEvent>();
        while (seen.LastOrDefault() is not SessionEndedEvent)
        {
            seen.Add(await events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Contains(seen, e => e is SessionStartedEvent);
        Assert.Contains(seen, e => e is CastStartedEvent { Host: "192.168.1.20", Title: "A movie", MediaKind: "file" });
        Assert.Contains(seen, e => e is CastStateChangedEvent);
        Assert.Equal(SessionEndReason.Kicked, ((SessionEndedEvent)seen[^1]).Reason);
    }

    [Fact]
    public async Task FairPlayStreaming_FailsTheCastWithTheProtectedVideoMessage()
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, CancellationToken.None);
        Assert.Equal(200, (await phone.PlayAsync(new Uri("https://example.com/protected.mp4"), 0, null, CancellationToken.None)).StatusCode);
        Assert.Equal(421, (await phone.SendAsync("POST", "/fp-setup2", new byte[] { 0x46, 0x50, 0x4c, 0x59 }, "application/octet-stream", CancellationToken.None)).StatusCode);

        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var state = (await http.GetFromJsonAsync<JsonElement>("/api/sessions")).EnumerateArray().Single().GetProperty("cast").GetProperty("state").GetString();
        Assert.Equal("failed: protected video cannot be played in a browser", state);
    }

    [Fact]
    public async Task Cast_KeptAliveByThePhonesPlaybackInfoPolls_EndsWithTimeoutWhenThePhoneFallsSilent()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:SenderTimeoutSeconds=2");
        using var events = host.Events.Subscribe();
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, CancellationToken.None);
        Assert.Equal(200, (await phone.PlayAsync(new Uri("http://192.168.1.20:8080/movie.mp4"), 0, "A movie", CancellationToken.None)).StatusCode);
        var session = host.Sessions.Sessions.Single();

        // A phone polls /playback-info about every second while its video plays: 5 s of polls outlive a 2 s limit.
        for (var i = 0; i < 10; i++)
        {
            await phone.PlaybackInfoAsync(CancellationToken.None);
            await Task.Delay(500);
        }

        Assert.False(session.HasEnded, "the cast ended while its phone was polling");
        await Eventually.TrueAsync(() => session.HasEnded, TimeSpan.FromSeconds(10));
        var ended = new List<SessionEvent>();
        while (events.Reader.TryRead(out var e))
        {
            ended.Add(e);
        }

        Assert.Equal(SessionEndReason.Timeout, ended.OfType<SessionEndedEvent>().Single().Reason);
    }

    [Fact]
    public async Task Play_OnAReceiverInPinMode_IsRefusedToAnUntrustedSender()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Access:Mode=pin");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, CancellationToken.None);
        var response = await phone.PlayAsync(new Uri("http://192.168.1.20/movie.mp4"), 0, null, CancellationToken.None);
        Assert.Equal(403, response.StatusCode);
        Assert.Equal("refused: only trusted senders may cast to this receiver", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(0, host.Sessions.Count);
    }

    [Fact]
    public async Task ControlRequestsAndCasting_FollowEachOtherOnOneConnection()
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var client = await RawRtspClient.ConnectAsync(host.ControlPort);
        Assert.Equal(200, (await client.SendRequestAsync("GET", "/info", 1)).Status);
        var play = BinaryPlist.Write(new PlistDict { ["Content-Location"] = "http://192.168.1.20/a.mp4", ["Start-Position-Seconds"] = 0.0 });
        await client.SendAsync([.. Encoding.Latin1.GetBytes($"POST /play HTTP/1.1\r\nX-Apple-Session-ID: ONE\r\nContent-Type: application/x-apple-binary-plist\r\nContent-Length: {play.Length}\r\n\r\n"), .. play]);
        var played = await client.ReadResponseAsync();
        Assert.Equal(200, played.Status);
        Assert.Equal("HTTP/1.1", played.Protocol);
        Assert.Equal("video", host.Sessions.Sessions.Single().Kind);
        await client.SendAsync("POST /stop HTTP/1.1\r\nX-Apple-Session-ID: ONE\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        await Eventually.TrueAsync(() => host.Sessions.Count == 0);

        // The same connection goes on with the control protocol (a mirroring session would start here).
        Assert.Equal(200, (await client.SendRequestAsync("GET", "/info", 2)).Status);
        Assert.Equal(200, (await client.SendRequestAsync("OPTIONS", "*", 3)).Status);
    }

    [Fact]
    public async Task Play_WithAnUnreadableBody_Is400_AndTheConnectionGoesOn()
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, CancellationToken.None);
        Assert.Equal(400, (await phone.SendAsync("POST", "/play", "bplist00garbage"u8.ToArray(), "application/x-apple-binary-plist", CancellationToken.None)).StatusCode);
        Assert.Equal(400, (await phone.SendAsync("POST", "/play", "Start-Position: 0\n"u8.ToArray(), "text/parameters", CancellationToken.None)).StatusCode);
        Assert.Equal(200, (await phone.ServerInfoAsync(CancellationToken.None)).StatusCode);
        Assert.Equal(0, host.Sessions.Count);
    }
}
