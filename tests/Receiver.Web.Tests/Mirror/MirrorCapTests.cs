using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Connections;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Mirror;

/// <summary>
/// The mirror port's connection caps on a real host: connections from one address beyond its cap are closed at once,
/// and a sender from another address still mirrors. 127.0.0.2 stands for the stranger's machine. Serial: it reads
/// <c>/metrics</c>, whose <c>Receiver</c> meter is collected across every host alive in the test process.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MirrorCapTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.2");

    private readonly SenderTempDirectory _temp = new("mirror-cap");
    private string _clip = string.Empty;

    public async Task InitializeAsync() => (_, _clip) = await H264Clip.WriteFilesAsync(_temp.Path, 320, 180, 1);

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ConnectionsBeyondThePerAddressCap_AreClosedAtOnce_AndASenderFromAnotherAddressMirrors()
    {
        await using var host = await ReceiverHost.StartAsync(
            "--Receiver:Limits:MaxMirrorConnectionsPerAddress=2", "--Receiver:Limits:MaxMirrorConnections=3", "--Receiver:Limits:FirstBytesTimeoutSeconds=60");
        var limiter = host.App.Services.GetRequiredKeyedService<ConnectionLimiter>(ConnectionLimiter.MirrorPort);
        var control = host.App.Services.GetRequiredService<ConnectionLimiter>();
        Assert.Equal((3, 2), (limiter.MaxTotal, limiter.MaxPerAddress));

        // Two silent connections from the stranger hold its places (their first-bytes deadline is far away).
        await using var first = await RawRtspClient.ConnectAsync(host.MirrorPort, Stranger);
        await using var second = await RawRtspClient.ConnectAsync(host.MirrorPort, Stranger);
        await Eventually.TrueAsync(() => limiter.Open == 2, Patience);

        Assert.True(await RawRtspClient.IsClosedAtOnceAsync(host.MirrorPort, Stranger, Patience), "the third mirror connection from one address is closed");
        Assert.Equal(1, limiter.Refused);
        Assert.Equal(2, limiter.Open);
        Assert.Equal(0, control.Refused);
        using (var http = new HttpClient { BaseAddress = host.WebUrl })
        {
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Matches(@"(?m)^receiver_connections_refused\S*\{[^}]*port=""mirror""[^}]*\} 1( |$)", metrics);
            Assert.Matches(@"(?m)^receiver_connections_refused\S*\{[^}]*port=""control""[^}]*\} 0( |$)", metrics);
        }


        // A phone on another address sets up a session and mirrors through the one place left in total.
        MirroringSession? mirrored = null;
        host.Sessions.SessionCreated += s => mirrored = s;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var result = await new AirPlaySenderSession(new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ForFile(_clip, 30),
            Fast = true,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            StepTimeout = TimeSpan.FromSeconds(20),
        }).RunAsync(cts.Token);
        output.WriteLine(string.Join(", ", result.Steps.Select(s => $"{s.Name} {s.Status}")));

        Assert.True(result.Ok, result.Error);
        Assert.NotNull(mirrored);
        Assert.True(result.FramesSent > 0, "the other sender mirrored");
        // Every picture it sent arrives (the data connection drains after the sender's TEARDOWN).
        await Eventually.TrueAsync(() => mirrored.FramesReceived == result.FramesSent, Patience);
        Assert.Equal(1, limiter.Refused);

        // The stranger's held connections are still open, and a place freed is a place again.
        Assert.False(await first.WaitForCloseAsync(TimeSpan.FromMilliseconds(200)), "a held connection stays open");
        await first.DisposeAsync();
        await Eventually.TrueAsync(() => limiter.Open == 1, Patience);
        await using var again = await RawRtspClient.ConnectAsync(host.MirrorPort, Stranger);
        await Eventually.TrueAsync(() => limiter.Open == 2, Patience);
        Assert.Equal(1, limiter.Refused);
    }

    [Fact]
    public async Task ConnectionBeyondTheTotalCap_IsClosedAtOnce()
    {
        await using var host = await ReceiverHost.StartAsync(
            "--Receiver:Limits:MaxMirrorConnectionsPerAddress=2", "--Receiver:Limits:MaxMirrorConnections=2", "--Receiver:Limits:FirstBytesTimeoutSeconds=60");
        var limiter = host.App.Services.GetRequiredKeyedService<ConnectionLimiter>(ConnectionLimiter.MirrorPort);
        await using var a = await RawRtspClient.ConnectAsync(host.MirrorPort, Stranger);
        await using var b = await RawRtspClient.ConnectAsync(host.MirrorPort, IPAddress.Parse("127.0.0.3"));
        await Eventually.TrueAsync(() => limiter.Open == 2, Patience);

        Assert.True(await RawRtspClient.IsClosedAtOnceAsync(host.MirrorPort, IPAddress.Parse("127.0.0.4"), Patience), "the connection beyond the total is closed");
        Assert.Equal(1, limiter.Refused);
        Assert.False(await a.WaitForCloseAsync(TimeSpan.FromMilliseconds(200)), "held connections stay open");
    }
}
