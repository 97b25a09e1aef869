using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Sessions;
using Receiver.Web.Media;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Viewer;

/// <summary>Viewers per session and in total: one more is closed with 4001 and the reason; the others keep playing.</summary>
[Collection(SerialCollection.Name)]
public sealed class ViewerCapTests
{
    [Fact]
    public async Task ViewerBeyondTheSessionAndTotalCaps_IsClosedWith4001AndTheReason_AndTheOthersKeepPlaying()
    {
        Require.Ffmpeg();
        var clip = await H264Clip.GetAsync(640, 360, 30, 4, 60);
        await using var live = await LiveSession.StartAsync(clip, "--Receiver:Viewer:MaxViewersPerSession=2", "--Receiver:Viewer:MaxViewers=3");
        var slots = live.Host.App.Services.GetRequiredService<ViewerSlots>();
        await using var first = await live.ConnectAsync();
        await using var second = await live.ConnectAsync();
        await first.ReceiveMediaAsyncAfterFormat();
        await second.ReceiveMediaAsyncAfterFormat();

        await using var third = await live.ConnectAsync();

        Assert.Null(await third.ReceiveAsync());
        Assert.Equal(MediaCloseStatus.Full, third.Socket.CloseStatus);
        Assert.Equal("full: this session has 2 viewers, the most it takes", third.Socket.CloseStatusDescription);
        Assert.Equal(1, slots.Refused);
        Assert.Equal(2, live.Session.Media.ViewerCount);

        // Another session takes the receiver's last place; beyond it, the total cap refuses.
        var other = live.Host.Sessions.Start(new SenderInfo("AA:BB:CC:DD:EE:02", "Ben's iPad", "iPad13,1", "iPadOS", "17.4", "620.1", "127.0.0.3"), "airplay", IPAddress.Parse("127.0.0.3"));
        await using var otherFirst = await MediaSocketClient.ConnectAsync(live.Host.WebUrl, other.Id);
        await Eventually.TrueAsync(() => other.Media.ViewerCount == 1, TimeSpan.FromSeconds(10));
        await using var otherSecond = await MediaSocketClient.ConnectAsync(live.Host.WebUrl, other.Id);
        Assert.Null(await otherSecond.ReceiveAsync());
        Assert.Equal(MediaCloseStatus.Full, otherSecond.Socket.CloseStatus);
        Assert.Equal("full: the receiver has 3 viewers, the most it takes", otherSecond.Socket.CloseStatusDescription);
        Assert.Equal(2, slots.Refused);

        // The viewers that were in keep receiving frames.
        Assert.True(await ReceivesFrameAsync(first));
        Assert.True(await ReceivesFrameAsync(second));

        // A viewer that leaves frees its place.
        await second.DisposeAsync();
        await Eventually.TrueAsync(() => live.Session.Media.ViewerCount == 1, TimeSpan.FromSeconds(10));
        await using var next = await live.ConnectAsync();
        await next.ReceiveMediaAsyncAfterFormat();
    }

    private static async Task<bool> ReceivesFrameAsync(MediaSocketClient client)
    {
        for (var i = 0; i < 20; i++)
        {
            var message = await client.ReceiveAsync();
            if (message is null)
            {
                return false;
            }

            if (message.Header is not null)
            {
                return true;
            }
        }

        return false;
    }
}
