using System.Net.Http.Json;
using Receiver.Core.Sessions;
using Receiver.Web.Api;
using Receiver.Web.Hubs;
using Receiver.Web.Metrics;
using Receiver.Web.Recording;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

[Collection(SerialCollection.Name)]
public sealed class SessionsHubTests : HostedApiTest
{
    [Fact]
    public async Task Connect_ReceivesSnapshotOfLiveSessions()
    {
        var first = AdminSessions.Start(Host, "Anna's iPhone");
        var second = AdminSessions.Start(Host, "Mac mini", "Macmini9,1");

        await using var client = await HubClient.ConnectAsync(Host.WebUrl);
        var snapshot = (SessionSummary[])(await client.WaitForAsync(nameof(ISessionsClient.Snapshot)))[0]!;

        Assert.Equal(2, snapshot.Length);
        Assert.Contains(snapshot, s => s.Id == first.Id && s.SenderName == "Anna's iPhone");
        Assert.Contains(snapshot, s => s.Id == second.Id && s.SenderModel == "Macmini9,1");
    }

    [FfmpegFact]
    public async Task Recording_StartAndStop_SendRecordingChangedAndShowInTheSessionViews()
    {
        var clip = await H264Clip.CreateAsync(640, 360, 90);
        var session = AdminSessions.Start(Host, "Anna's iPhone");
        clip.BeginVideo(Host, session);
        clip.Publish(session, 0, 30);
        await using var client = await HubClient.ConnectAsync(Host.WebUrl);
        Assert.False(Assert.Single((SessionSummary[])(await client.WaitForAsync(nameof(ISessionsClient.Snapshot)))[0]!).Recording);

        Assert.Equal(System.Net.HttpStatusCode.Created, (await Http.PostAsync($"/api/sessions/{session.Id}/recording", null)).StatusCode);

        var started = await client.WaitForAsync<RecordingChangedMessage>(nameof(ISessionsClient.RecordingChanged));
        Assert.Equal(session.Id, started.SessionId);
        Assert.True(started.Recording);
        Assert.True(Assert.Single((await Http.GetFromJsonAsync<SessionSummary[]>("/api/sessions", Json))!).Recording);
        Assert.True((await Http.GetFromJsonAsync<SessionDetail>($"/api/sessions/{session.Id}", Json))!.Recording!.Active);

        // The file is announced as soon as it exists, and it is listed as being written from then on.
        var opened = await client.WaitForAsync<RecordingChangedMessage>(nameof(ISessionsClient.RecordingChanged), m => m.Recording && m.Files.Count == 1);
        var listed = Assert.Single((await Http.GetFromJsonAsync<RecordingFile[]>("/api/recordings", Json))!);
        Assert.Equal(opened.Files[0], listed.Name);
        Assert.True(listed.Active);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await Http.DeleteAsync($"/api/sessions/{session.Id}/recording")).StatusCode);

        var stopped = await client.WaitForAsync<RecordingChangedMessage>(nameof(ISessionsClient.RecordingChanged), m => !m.Recording);
        Assert.Equal(session.Id, stopped.SessionId);
        Assert.StartsWith(session.Id + "-", Assert.Single(stopped.Files), StringComparison.Ordinal);
        Assert.False(Assert.Single((await Http.GetFromJsonAsync<SessionSummary[]>("/api/sessions", Json))!).Recording);
        var detail = (await Http.GetFromJsonAsync<SessionDetail>($"/api/sessions/{session.Id}", Json))!;
        Assert.False(detail.Recording!.Active);
        Assert.Equal(30, detail.Recording.VideoFrames);
    }

    [FfmpegFact]
    public async Task NewSession_SendsStartedWithNameThenStreamWithResolution()
    {
        var clip = await H264Clip.CreateAsync(640, 360, 90);
        await using var client = await HubClient.ConnectAsync(Host.WebUrl);
        Assert.Empty((SessionSummary[])(await client.WaitForAsync(nameof(ISessionsClient.Snapshot)))[0]!);

        var session = AdminSessions.Start(Host, "Anna's iPhone");
        clip.BeginVideo(Host, session);
        Host.Sessions.Publish(new VolumeChangedEvent(session.Id, DateTimeOffset.UtcNow, -12.5));

        var started = await client.WaitForAsync<SessionSummary>(nameof(ISessionsClient.SessionStarted));
        Assert.Equal(session.Id, started.Id);
        Assert.Equal("Anna's iPhone", started.SenderName);
        Assert.Equal("iPhone14,2", started.SenderModel);
        var stream = await client.WaitForAsync<StreamStartedMessage>(nameof(ISessionsClient.StreamStarted));
        Assert.Equal(new StreamStartedMessage(session.Id, "video", clip.Format.CodecString, 640, 360, null), stream);
        var volume = await client.WaitForAsync<VolumeChangedMessage>(nameof(ISessionsClient.VolumeChanged));
        Assert.Equal(-12.5, volume.VolumeDb);
        Assert.Equal(
            [nameof(ISessionsClient.Snapshot), nameof(ISessionsClient.SessionStarted), nameof(ISessionsClient.StreamStarted), nameof(ISessionsClient.VolumeChanged)],
            client.Log.Where(m => m != nameof(ISessionsClient.SessionStats)).Take(4));
    }

    [FfmpegFact]
    public async Task LiveSession_SendsStatsEverySecond()
    {
        var clip = await H264Clip.CreateAsync(640, 360, 90);
        var session = AdminSessions.Start(Host, "Anna's iPhone");
        clip.BeginVideo(Host, session);
        using var viewer = session.Media.Subscribe();
        await using var client = await HubClient.ConnectAsync(Host.WebUrl);
        using var publishing = new CancellationTokenSource();
        var publisher = Task.Run(async () =>
        {
            for (var i = 0; !publishing.IsCancellationRequested; i += 3)
            {
                clip.Publish(session, i, 3);
                await Task.Delay(100);
            }
        });

        var times = new List<DateTime>();
        var samples = new List<SessionStats>();
        for (var i = 0; i < 4; i++)
        {
            samples.Add(await client.WaitForAsync<SessionStats>(nameof(ISessionsClient.SessionStats), s => s.SessionId == session.Id, TimeSpan.FromSeconds(3)));
            times.Add(DateTime.UtcNow);
        }

        await publishing.CancelAsync();
        await publisher;
        // One a second on average; a single interval may stretch when the machine is busy.
        var averageMs = (times[^1] - times[0]).TotalMilliseconds / (times.Count - 1);
        Assert.InRange(averageMs, 500, 2000);

        var last = samples[^1];
        Assert.InRange(last.Fps, 10, 50);
        Assert.True(last.BitrateBps > 0);
        Assert.True(last.Frames > samples[0].Frames);
        Assert.Equal(1, last.Viewers);
    }

    [Fact]
    public async Task Delete_SendsSessionEndedKicked()
    {
        var session = AdminSessions.Start(Host, "Anna's iPhone");
        await using var client = await HubClient.ConnectAsync(Host.WebUrl);
        await client.WaitForAsync(nameof(ISessionsClient.Snapshot));

        using var response = await Http.DeleteAsync($"/api/sessions/{session.Id}");

        var ended = await client.WaitForAsync(nameof(ISessionsClient.SessionEnded));
        Assert.Equal(session.Id, ended[0]);
        Assert.Equal("kicked", ended[1]);
        Assert.True(session.Ended.IsCancellationRequested);
        Assert.Equal(0, Host.Sessions.Count);
    }

    [Theory]
    [InlineData(SessionEndReason.Teardown, "teardown")]
    [InlineData(SessionEndReason.Disconnect, "disconnect")]
    [InlineData(SessionEndReason.Timeout, "timeout")]
    [InlineData(SessionEndReason.Error, "error")]
    [InlineData(SessionEndReason.Shutdown, "shutdown")]
    public async Task SessionEnd_SendsLowercaseReason(SessionEndReason reason, string expected)
    {
        await using var client = await HubClient.ConnectAsync(Host.WebUrl);
        await client.WaitForAsync(nameof(ISessionsClient.Snapshot));
        var session = AdminSessions.Start(Host, "Anna's iPhone");

        Host.Sessions.End(session, reason);

        var ended = await client.WaitForAsync(nameof(ISessionsClient.SessionEnded));
        Assert.Equal([session.Id, expected], ended);
    }
}
