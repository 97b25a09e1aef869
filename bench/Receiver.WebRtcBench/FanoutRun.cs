using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Receiver.ViewerBench;

namespace Receiver.WebRtcBench;

/// <summary>The CPU of one fan-out window: N WebRTC viewers on one session.</summary>
public sealed record FanoutSample(int Viewers, int Receiving, double ReceiverPercent, double FfmpegPercent, double JanusPercent, double MachinePercent);

/// <summary>
/// Fan-out: one session, and in turn 1 or N receive-only WebRTC viewers in one headless Chromium page (each its own
/// signalling WebSocket through the receiver and its own PeerConnection, tracks not attached to any element). Once every
/// viewer receives video, the CPU time (user + system, /proc) of the receiver process, of its ffmpeg children and of
/// Janus is read over a fixed window; the counts alternate so the machine's load falls on both alike.
/// </summary>
public static class FanoutRun
{
    private const string Open =
        """
        async ({ id, count }) => {
          const { withDecodableProfile, receiverH264Profiles } = await import('/js/player/webrtc-player.js');
          const fan = { peers: [], started: 0, closed: 0, errors: [] };
          window.__fan = fan;
          for (let i = 0; i < count; i++) {
            const ws = new WebSocket(`ws://${location.host}/ws/sessions/${id}/webrtc`);
            const peer = { ws, pc: null };
            ws.onmessage = async (event) => {
              try {
                const message = JSON.parse(event.data);
                if (message.type === 'offer') {
                  const pc = new RTCPeerConnection({ iceServers: [] });
                  peer.pc = pc;
                  await pc.setRemoteDescription({ type: 'offer', sdp: withDecodableProfile(message.sdp, receiverH264Profiles()) });
                  await pc.setLocalDescription(await pc.createAnswer());
                  await new Promise((resolve) => {
                    if (pc.iceGatheringState === 'complete') { resolve(undefined); return; }
                    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') { resolve(undefined); } });
                    setTimeout(() => resolve(undefined), 2000);
                  });
                  ws.send(JSON.stringify({ type: 'answer', sdp: pc.localDescription.sdp }));
                } else if (message.type === 'started') {
                  fan.started += 1;
                }
              } catch (error) {
                fan.errors.push(String(error));
              }
            };
            ws.onclose = (event) => { fan.closed += 1; if (event.code !== 1000) { fan.errors.push(`closed ${event.code} ${event.reason}`); } };
            fan.peers.push(peer);
          }
        }
        """;

    private const string Receiving =
        """
        async () => {
          let receiving = 0;
          for (const peer of window.__fan.peers) {
            if (!peer.pc) { continue; }
            let packets = 0;
            (await peer.pc.getStats()).forEach((e) => { if (e.type === 'inbound-rtp' && e.kind === 'video') { packets = e.packetsReceived || 0; } });
            if (packets > 0) { receiving += 1; }
          }
          return JSON.stringify({ receiving, started: window.__fan.started, closed: window.__fan.closed, errors: window.__fan.errors.slice(0, 3) });
        }
        """;

    private const string Close =
        """
        () => { for (const peer of window.__fan.peers) { if (peer.pc) { peer.pc.close(); } peer.ws.close(1000); } }
        """;

    public static async Task<FanoutSample> RunAsync(Rig rig, IBrowser browser, string sessionId, int viewers, int seconds, CancellationToken cancellationToken)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(rig.PageUrl, "/healthz").ToString());
        await page.EvaluateAsync(Open, new { id = sessionId, count = viewers });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        JsonElement state;
        while (true)
        {
            state = JsonDocument.Parse(await page.EvaluateAsync<string>(Receiving)).RootElement.Clone();
            if (state.GetProperty("receiving").GetInt32() >= viewers)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine($"fan-out {viewers}: only {state} after 90 s");
                break;
            }

            await Task.Delay(500, cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var children = ProcessCpu.Children(rig.ReceiverPid);
        var receiver0 = ProcessCpu.Seconds(rig.ReceiverPid);
        var ffmpeg0 = children.Sum(ProcessCpu.Seconds);
        var janus0 = ProcessCpu.Seconds(rig.JanusPid);
        var machine0 = ProcessCpu.Machine();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        var wall = watch.Elapsed.TotalSeconds;
        var receiver1 = ProcessCpu.Seconds(rig.ReceiverPid);
        var ffmpeg1 = children.Sum(ProcessCpu.Seconds);
        var janus1 = ProcessCpu.Seconds(rig.JanusPid);
        var machine1 = ProcessCpu.Machine();
        var receiving = JsonDocument.Parse(await page.EvaluateAsync<string>(Receiving)).RootElement.GetProperty("receiving").GetInt32();
        await page.EvaluateAsync(Close);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        return new FanoutSample(viewers, receiving,
            100 * (receiver1 - receiver0) / wall, 100 * (ffmpeg1 - ffmpeg0) / wall, 100 * (janus1 - janus0) / wall,
            100 * (machine1.Busy - machine0.Busy) / (machine1.Total - machine0.Total));
    }

    public const string Header =
        "| viewers | runs | receiving | receiver CPU median (runs) | receiver's ffmpeg | Janus | machine busy |\n|---:|---:|---:|---|---:|---:|---:|";

    public static string Row(IReadOnlyList<FanoutSample> samples)
    {
        static string P(double v) => v.ToString("0.0", CultureInfo.InvariantCulture) + " %";
        var receiver = samples.Select(s => s.ReceiverPercent).ToArray();
        return $"| {samples[0].Viewers} | {samples.Count} | {samples.Min(s => s.Receiving)} | {P(CaseResult.Percentile(receiver, 50))} ({string.Join(", ", receiver.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))}) | " +
            $"{P(CaseResult.Percentile(samples.Select(s => s.FfmpegPercent).ToArray(), 50))} | {P(CaseResult.Percentile(samples.Select(s => s.JanusPercent).ToArray(), 50))} | " +
            $"{P(CaseResult.Percentile(samples.Select(s => s.MachinePercent).ToArray(), 50))} |";
    }
}
