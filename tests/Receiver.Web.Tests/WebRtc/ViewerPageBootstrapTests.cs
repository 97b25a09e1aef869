using System.Net;
using System.Net.Sockets;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>The viewer page says in its HTML whether WebRTC is available, so it picks its player without asking.</summary>
public sealed class ViewerPageBootstrapTests
{
    [Fact]
    public async Task ViewerPage_WithoutJanus_SaysOff()
    {
        await using var host = await ReceiverHost.StartAsync();
        var session = AdminSessions.Start(host, "Anna's iPhone");
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        Assert.Contains("<meta name=\"receiver-webrtc\" content=\"off\">", await http.GetStringAsync($"/view/{session.Id}"), StringComparison.Ordinal);
        Assert.Contains("<meta name=\"receiver-webrtc\" content=\"off\">", await http.GetStringAsync("/view/"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ViewerPage_Head_SameHeadersAsGetAndNoBody(bool roomDisplay)
    {
        await using var host = await ReceiverHost.StartAsync();
        var session = AdminSessions.Start(host, "Anna's iPhone");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var path = roomDisplay ? "/view/" : $"/view/{session.Id}";

        using var get = await http.GetAsync(path);
        var page = await get.Content.ReadAsByteArrayAsync();
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html; charset=utf-8", head.Content.Headers.ContentType?.ToString());
        Assert.Equal(page.Length, head.Content.Headers.ContentLength);
        Assert.Equal("no-store", head.Headers.CacheControl?.ToString());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(page.Length, get.Content.Headers.ContentLength);
        Assert.Contains("<meta name=\"receiver-webrtc\" content=\"off\">", System.Text.Encoding.UTF8.GetString(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ViewerPage_OtherMethods_NotAllowed()
    {
        await using var host = await ReceiverHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/view/0123456789ab"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task ViewerPage_JanusConfiguredButDown_SaysUnreachable()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var host = await ReceiverHost.StartAsync($"--Receiver:WebRtc:JanusUrl=http://127.0.0.1:{port}/janus");
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        using var response = await http.GetAsync("/view/0123456789ab");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("<meta name=\"receiver-webrtc\" content=\"unreachable\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [JanusFact]
    public async Task ViewerPage_JanusReachable_SaysOn_AndNoneForAnH265Session()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var janus = await JanusProcess.StartAsync(cts.Token);
        await using var host = await ReceiverHost.StartAsync($"--Receiver:WebRtc:JanusUrl={janus.ApiUrl}");
        var h264 = AdminSessions.Start(host, "Anna's iPhone");
        var h265 = AdminSessions.Start(host, "Ben's iPad");
        h265.Media.Publish(new Receiver.Core.Media.VideoFormat(Receiver.Core.Media.VideoCodec.H265, 1280, 720, "hvc1.1.6.L93.B0", ReadOnlyMemory<byte>.Empty, []));
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var readiness = "";
        for (var i = 0; i < 100 && !readiness.Contains("\"janus\":\"reachable\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50, cts.Token);
            readiness = await http.GetStringAsync("/readyz", cts.Token);
        }

        Assert.Contains("<meta name=\"receiver-webrtc\" content=\"on\">", await http.GetStringAsync($"/view/{h264.Id}", cts.Token), StringComparison.Ordinal);
        Assert.Contains("<meta name=\"receiver-webrtc\" content=\"none\">", await http.GetStringAsync($"/view/{h265.Id}", cts.Token), StringComparison.Ordinal);
    }
}
