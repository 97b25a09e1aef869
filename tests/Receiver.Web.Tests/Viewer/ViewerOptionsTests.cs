using System.ComponentModel.DataAnnotations;
using System.Net;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Viewer;

/// <summary>The viewer back-pressure limits come from <c>Receiver:Viewer</c> and are checked at start.</summary>
public sealed class ViewerOptionsTests
{
    [Fact]
    public async Task Limits_FromConfiguration_AreEveryNewSessionsChannelLimits()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Viewer:MaxQueuedMessages=64", "--Receiver:Viewer:MaxQueuedBytes=1048576", "--Receiver:Viewer:MaxGopBytes=0");
        var session = host.Sessions.Start(new SenderInfo("AA:BB:CC:DD:EE:FF", "Test", null, null, null, null, "127.0.0.1"), "airplay", IPAddress.Loopback);
        Assert.Equal((64, 1_048_576L, 0L), (host.Sessions.MediaOptions.MaxQueuedMessages, host.Sessions.MediaOptions.MaxQueuedBytes, host.Sessions.MediaOptions.MaxGopBytes));
        session.End(SessionEndReason.Teardown);
    }

    [Theory]
    [InlineData("--Receiver:Viewer:MaxQueuedMessages=1")]
    [InlineData("--Receiver:Viewer:MaxQueuedBytes=100")]
    [InlineData("--Receiver:Viewer:MaxGopBytes=-1")]
    public async Task Limits_OutOfRange_StopTheReceiverAtStartWithTheReason(string argument)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(async () => await (await ReceiverHost.StartAsync(argument)).DisposeAsync());
        Assert.Contains(argument.Split(':')[2].Split('=')[0], error.Message, StringComparison.Ordinal);
    }
}
