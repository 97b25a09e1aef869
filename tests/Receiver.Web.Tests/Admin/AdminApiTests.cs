using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Web.Api;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

[Collection(SerialCollection.Name)]
public sealed class AdminApiTests : HostedApiTest
{
    [Fact]
    public async Task GetReceiver_ReturnsIdentityPortsAndSessionCount()
    {
        AdminSessions.Start(Host, "Anna's iPhone");

        var info = await Http.GetFromJsonAsync<ReceiverInfo>("/api/receiver", Json);

        Assert.NotNull(info);
        Assert.Equal("AirPlay Web Receiver", info.Name);
        Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", info.DeviceId);
        Assert.Equal(Host.ControlPort, info.ControlPort);
        Assert.Equal(Host.MirrorPort, info.MirrorPort);
        Assert.Equal("0x52785ED1", info.Features);
        Assert.Equal(1, info.Sessions);
        Assert.False(string.IsNullOrEmpty(info.Version));
    }

    [FfmpegFact]
    public async Task ListSessions_ShowsSenderAndResolution()
    {
        var clip = await H264Clip.CreateAsync(640, 360, 90);
        var session = AdminSessions.Start(Host, "Anna's iPhone");
        clip.BeginVideo(Host, session);

        var sessions = await Http.GetFromJsonAsync<SessionSummary[]>("/api/sessions", Json);

        var summary = Assert.Single(sessions!);
        Assert.Equal(session.Id, summary.Id);
        Assert.Equal("Anna's iPhone", summary.SenderName);
        Assert.Equal("iPhone14,2", summary.SenderModel);
        Assert.Equal("airplay", summary.Protocol);
        Assert.Equal(640, summary.Width);
        Assert.Equal(360, summary.Height);
        Assert.StartsWith("avc1.", summary.Codec, StringComparison.Ordinal);
        Assert.Equal(0, summary.Viewers);
    }

    [Fact]
    public async Task GetSession_ReturnsSenderStreamsAndStats()
    {
        var session = AdminSessions.Start(Host, "Mac mini", "Macmini9,1");
        using var viewer = session.Media.Subscribe();

        var detail = await Http.GetFromJsonAsync<SessionDetail>($"/api/sessions/{session.Id}", Json);

        Assert.NotNull(detail);
        Assert.Equal("Mac mini", detail.Sender.Name);
        Assert.Equal("Macmini9,1", detail.Sender.Model);
        Assert.Equal("17.5", detail.Sender.OsVersion);
        Assert.Equal("127.0.0.1", detail.Sender.RemoteAddress);
        Assert.Equal(session.StartedAt, detail.StartedAt);
        Assert.Null(detail.Video);
        Assert.False(detail.Streams.Audio);
        Assert.Equal(1, detail.Viewers);
        Assert.Equal(session.Id, detail.Stats.SessionId);
    }

    [Theory]
    [InlineData("GET", "/api/sessions/0123456789ab")]
    [InlineData("DELETE", "/api/sessions/0123456789ab")]
    [InlineData("GET", "/api/sessions/0123456789ab/snapshot.jpg")]
    public async Task UnknownSession_Returns404Problem(string method, string path)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("No such session", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task DeleteSession_EndsItAsKicked()
    {
        var session = AdminSessions.Start(Host, "Anna's iPhone");
        using var viewer = session.Media.Subscribe();

        using var response = await Http.DeleteAsync($"/api/sessions/{session.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(session.Ended.IsCancellationRequested);
        Assert.Equal(SessionEndReason.Kicked, session.EndReason);
        var ended = Assert.IsType<MediaMessage.Ended>(await viewer.Reader.ReadAsync());
        Assert.Equal("kicked", ended.Reason);
        Assert.Empty((await Http.GetFromJsonAsync<SessionSummary[]>("/api/sessions", Json))!);
        using var again = await Http.DeleteAsync($"/api/sessions/{session.Id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Snapshot_BeforeFirstKeyframe_Returns404()
    {
        var session = AdminSessions.Start(Host, "Anna's iPhone");

        using var response = await Http.GetAsync($"/api/sessions/{session.Id}/snapshot.jpg");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [FfmpegFact]
    public async Task Snapshot_ReturnsJpegOfTheStreamResolution()
    {
        var clip = await H264Clip.CreateAsync(640, 360, 90);
        var session = AdminSessions.Start(Host, "Anna's iPhone");
        clip.BeginVideo(Host, session);
        clip.Publish(session, 0, 45);

        using var response = await Http.GetAsync($"/api/sessions/{session.Id}/snapshot.jpg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var jpeg = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((640, 360), Jpeg.Size(jpeg));
        Assert.Equal(0, session.Media.ViewerCount);

        var cached = await Http.GetByteArrayAsync($"/api/sessions/{session.Id}/snapshot.jpg");
        Assert.Equal(jpeg, cached);
    }

    [FfmpegFact]
    public async Task Snapshot_DecodesWithFfprobe()
    {
        var clip = await H264Clip.CreateAsync(1280, 720, 31);
        var session = AdminSessions.Start(Host, "iPad");
        clip.BeginVideo(Host, session);
        clip.Publish(session, 0, 31);
        var jpeg = await Http.GetByteArrayAsync($"/api/sessions/{session.Id}/snapshot.jpg");
        var file = Path.Combine(Path.GetTempPath(), $"snapshot-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(file, jpeg);
        try
        {
            var (exit, output) = await ExternalTools.RunFfmpegAsync("ffprobe",
                ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", file]);

            Assert.Equal(0, exit);
            Assert.Equal("mjpeg,1280,720", output.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheAdminApi()
    {
        var document = await Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/sessions", out _));
        Assert.True(paths.TryGetProperty("/api/sessions/{id}", out var session));
        Assert.True(session.TryGetProperty("delete", out _));
        Assert.True(paths.TryGetProperty("/api/sessions/{id}/snapshot.jpg", out _));
        Assert.True(paths.TryGetProperty("/api/receiver", out _));
        using var scalar = await Http.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }

    [Fact]
    public async Task Readyz_WhenPortsBoundAndDiscoveryOff_Returns200()
    {
        using var response = await Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Readiness>(Json);
        Assert.Equal(new Readiness("ready", true, true), body);
        using var health = await Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [FfmpegFact]
    public async Task Metrics_ExposeTheReceiverInstruments()
    {
        var clip = await H264Clip.CreateAsync(640, 360, 90);
        var session = AdminSessions.Start(Host, "Anna's iPhone");
        clip.BeginVideo(Host, session);
        clip.Publish(session, 0, 30);

        var text = await Http.GetStringAsync("/metrics");

        Assert.Contains("receiver_sessions_active", text, StringComparison.Ordinal);
        Assert.Contains("receiver_viewers_active", text, StringComparison.Ordinal);
        Assert.Contains("receiver_frames_received", text, StringComparison.Ordinal);
        Assert.Contains("receiver_bytes_received", text, StringComparison.Ordinal);
        Assert.Contains("receiver_fragments_dropped", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^receiver_sessions_active(\{[^}]*\})? 1( |$)", text);
        Assert.Matches(@"(?m)^receiver_frames_received\S* 30( |$)", text);
        Assert.Matches(@"(?m)^receiver_fragments_pool_free_bytes\S* \d+( |$)", text);
        Assert.Matches(@"(?m)^receiver_fragments_pool_created\S* [1-9]\d*( |$)", text);
    }
}
