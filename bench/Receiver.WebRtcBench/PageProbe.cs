using System.Text.Json;
using Microsoft.Playwright;

namespace Receiver.WebRtcBench;

/// <summary>What the viewer page measured: pictures presented, coded frame numbers with their display time, beep onsets.</summary>
public sealed record PageFigures(double Presented, int Unreadable, double[][] Frames, double[] Beeps, double Now);

/// <summary>
/// Watches the viewer page in WebRTC mode. Each presented picture is counted (requestVideoFrameCallback's
/// presentedFrames); every third one has its code strip read (drawn into a 16x2 canvas without smoothing, one pixel per
/// block centre) and its frame number kept with its display time (performance.timeOrigin + expectedDisplayTime, Unix
/// ms). The received sound runs through Web Audio, and each beep onset is kept with the moment it is heard
/// (getOutputTimestamp maps the audio clock onto the page's clock, less the one buffer of 256 samples that the
/// ScriptProcessor adds).
/// </summary>
public sealed class PageProbe(IPage page)
{
    private const string InstallVideo =
        """
        () => {
          const v = document.querySelector('video');
          const canvas = document.createElement('canvas');
          canvas.width = 16; canvas.height = 2;
          const g = canvas.getContext('2d', { willReadFrequently: true });
          g.imageSmoothingEnabled = false;
          const b = { presented: 0, base: 0, last: 0, frames: [], beeps: [], unreadable: 0, calls: 0 };
          window.__rtcBench = b;
          const loop = (_now, m) => {
            if (m.presentedFrames < b.last) { b.base += b.last; }
            b.last = m.presentedFrames;
            b.presented = b.base + m.presentedFrames;
            b.calls += 1;
            if (b.calls % 3 === 0 && v.videoWidth >= 640) {
              g.drawImage(v, 0, 0, 640, 80, 0, 0, 16, 2);
              const d = g.getImageData(0, 0, 16, 2).data;
              let index = 0;
              let whole = true;
              for (let i = 0; i < 16; i++) {
                const one = d[i * 4 + 1] > 128;
                const inverted = d[(16 + i) * 4 + 1] > 128;
                if (one === inverted) { whole = false; break; }
                if (one) { index |= 1 << i; }
              }
              if (whole) { b.frames.push([index, performance.timeOrigin + m.expectedDisplayTime]); } else { b.unreadable += 1; }
            }
            v.requestVideoFrameCallback(loop);
          };
          v.requestVideoFrameCallback(loop);
        }
        """;

    private const string InstallAudio =
        """
        async () => {
          const v = document.querySelector('video');
          const stream = v.srcObject;
          const track = stream && stream.getAudioTracks()[0];
          if (!track) { return false; }
          const b = window.__rtcBench;
          const context = new AudioContext({ latencyHint: 'interactive' });
          await context.resume();
          const source = context.createMediaStreamSource(new MediaStream([track]));
          const size = 256;
          const processor = context.createScriptProcessor(size, 1, 1);
          let quiet = 1e9;
          processor.onaudioprocess = (e) => {
            const x = e.inputBuffer.getChannelData(0);
            const stamp = context.getOutputTimestamp();
            for (let i = 0; i < x.length; i++) {
              if (Math.abs(x[i]) >= 0.1) {
                if (quiet >= 0.3 * context.sampleRate) {
                  const heard = e.playbackTime + (i - size) / context.sampleRate;
                  b.beeps.push(performance.timeOrigin + stamp.performanceTime + (heard - stamp.contextTime) * 1000);
                }
                quiet = 0;
              } else {
                quiet += 1;
              }
            }
          };
          source.connect(processor);
          processor.connect(context.destination);
          window.__rtcBenchAudio = { context, source, processor };
          return true;
        }
        """;

    private const string Read =
        """
        () => {
          const b = window.__rtcBench;
          const out = JSON.stringify({ presented: b.presented, unreadable: b.unreadable, frames: b.frames, beeps: b.beeps, now: performance.timeOrigin + performance.now() });
          b.frames = []; b.beeps = [];
          return out;
        }
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IPage Page { get; } = page;

    public Task InstallVideoAsync() => Page.EvaluateAsync(InstallVideo);

    public Task<bool> InstallAudioAsync() => Page.EvaluateAsync<bool>(InstallAudio);

    /// <summary>The counters now, and the frames and beeps seen since the last read.</summary>
    public async Task<PageFigures> ReadAsync() => JsonSerializer.Deserialize<PageFigures>(await Page.EvaluateAsync<string>(Read), Json)!;

    /// <summary>
    /// The browser's half of the A/V offset now: the video's <c>estimatedPlayoutTimestamp</c> minus the audio's, from one
    /// <c>getStats</c> report (ms, positive = the sound is late). Both are Janus's sender-report time of what is played
    /// out now, and Janus stamps what it forwards together with one time, so this is how far apart the browser plays
    /// what reached it together; null until both streams report one.
    /// </summary>
    public async Task<double?> PlayoutDifferenceAsync() => await Page.EvaluateAsync<double?>(
        """
        async () => {
          const pc = window.__viewer.webrtc && window.__viewer.webrtc.pc;
          if (!pc) { return null; }
          let video = null, audio = null;
          (await pc.getStats()).forEach((e) => {
            if (e.type === 'inbound-rtp' && typeof e.estimatedPlayoutTimestamp === 'number') {
              if (e.kind === 'video') { video = e.estimatedPlayoutTimestamp; }
              if (e.kind === 'audio') { audio = e.estimatedPlayoutTimestamp; }
            }
          });
          return video !== null && audio !== null ? video - audio : null;
        }
        """);

    /// <summary>The PeerConnection's inbound figures (the page's own <c>window.__viewer.webrtc.inbound()</c>, plus losses and freezes).</summary>
    public async Task<JsonElement> InboundAsync() => JsonDocument.Parse(await Page.EvaluateAsync<string>(
        """
        async () => {
          const pc = window.__viewer.webrtc && window.__viewer.webrtc.pc;
          const out = {};
          if (pc) {
            (await pc.getStats()).forEach((e) => {
              if (e.type === 'inbound-rtp') {
                out[e.kind] = { packetsReceived: e.packetsReceived || 0, packetsLost: e.packetsLost || 0, nackCount: e.nackCount || 0,
                  framesDecoded: e.framesDecoded || 0, framesDropped: e.framesDropped || 0, freezeCount: e.freezeCount || 0,
                  totalFreezesDuration: e.totalFreezesDuration || 0, jitterBufferDelay: e.jitterBufferDelay || 0,
                  jitterBufferEmittedCount: e.jitterBufferEmittedCount || 0, concealedSamples: e.concealedSamples || 0,
                  totalSamplesReceived: e.totalSamplesReceived || 0, pliCount: e.pliCount || 0, keyFramesDecoded: e.keyFramesDecoded || 0 };
              }
            });
          }
          return JSON.stringify(out);
        }
        """)).RootElement.Clone();
}
