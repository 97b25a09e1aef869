using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Sender.Sessions;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Receiver.Web.WebRtc;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>The WebRTC signalling socket with a real Janus and a simulated sender, without a browser.</summary>
public sealed class WebRtcSignallingTests
{
    [JanusFact]
    public async Task SignallingSocket_OffersJanusSdp_AndClosesOnAnythingButAnAnswer()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var janus = await JanusProcess.StartAsync(cts.Token);
        await using var host = await ReceiverHost.StartAsync($"--Receiver:WebRtc:JanusUrl={janus.ApiUrl}");
        var sending = new AirPlaySenderSession(SenderTestMedia.LiveAudioOptions(host.ControlPort, 30)).RunAsync(cts.Token);
        while (host.Sessions.Count == 0 && !sending.IsCompleted)
        {
            await Task.Delay(10, cts.Token);
        }

        var session = host.Sessions.Sessions.First();
        try
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Origin", host.WebUrl.GetLeftPart(UriPartial.Authority));
            await socket.ConnectAsync(new Uri($"ws://{host.WebUrl.Authority}/ws/sessions/{session.Id}/webrtc"), cts.Token);
            var buffer = new byte[64 * 1024];
            var received = await socket.ReceiveAsync(buffer, cts.Token);
            using var offer = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count));
            Assert.Equal("offer", offer.RootElement.GetProperty("type").GetString());
            var sdp = offer.RootElement.GetProperty("sdp").GetString()!;
            Assert.Contains("m=video", sdp, StringComparison.Ordinal);
            Assert.Contains("m=audio", sdp, StringComparison.Ordinal);
            Assert.Contains("H264/90000", sdp, StringComparison.Ordinal);
            Assert.Contains("packetization-mode=1", sdp, StringComparison.Ordinal);
            Assert.Contains("opus/48000/2", sdp, StringComparison.Ordinal);

            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"offer\",\"sdp\":\"v=0\"}"), WebSocketMessageType.Text, true, cts.Token);
            var closed = await socket.ReceiveAsync(buffer, cts.Token);
            Assert.Equal(WebSocketMessageType.Close, closed.MessageType);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
            // The relay gives its place back as it ends (just after the close).
            var service = host.App.Services.GetRequiredService<JanusIngestService>();
            for (var i = 0; i < 100 && service.Viewers != 0; i++)
            {
                await Task.Delay(20, cts.Token);
            }

            Assert.Equal(0, service.Viewers);
        }
        finally
        {
            cts.Cancel();
            try
            {
                await sending;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
