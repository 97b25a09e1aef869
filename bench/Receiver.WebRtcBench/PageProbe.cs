using System.Text.Json;
using Microsoft.Playwright;

namespace Receiver.WebRtcBench;

/// <summary>
/// What the viewer page measured: pictures presented, coded frame numbers with their display times, and beep onsets as
/// the Web Audio tap hears them (<see cref="Beeps"/>) and as the audio track's own chunks carry them
/// (<see cref="TrackBeeps"/>).
/// </summary>
/// <param name="Frames">Per read picture: frame number, expectedDisplayTime, presentationTime, receiveTime (Unix ms; receiveTime 0 when absent).</param>
/// <param name="TrackBeeps">Per beep in the track's chunks: onset by the chunk's arrival on the page (Unix ms), onset by the chunk's timestamp (ms, the AudioData's own clock, put on the Unix clock in <see cref="LatencyRun"/>).</param>
/// <param name="ChunkLags">Per track chunk read: the page's time origin (Unix ms), its arrival on the page (performance.now ms) and its timestamp (AudioData ms).</param>
public sealed record PageFigures(double Presented, int Unreadable, double[][] Frames, double[] Beeps, double[][] TrackBeeps, double[][] ChunkLags, double Now);

/// <summary>The audio output as the page reports it: the Web Audio context's latencies and the WebRTC renderer's playout delay counters.</summary>
/// <param name="BaseLatency">The Web Audio context's <c>baseLatency</c> (s).</param>
/// <param name="OutputLatency">The Web Audio context's <c>outputLatency</c> (s).</param>
/// <param name="PlayoutDelay">getStats <c>media-playout</c> <c>totalPlayoutDelay</c> (s, summed over samples).</param>
/// <param name="PlayoutSamples">getStats <c>media-playout</c> <c>totalSamplesCount</c>.</param>
public sealed record AudioOutputFigures(double BaseLatency, double OutputLatency, double PlayoutDelay, double PlayoutSamples);

/// <summary>
/// Watches the viewer page in WebRTC mode. Each presented picture is counted (requestVideoFrameCallback's
/// presentedFrames); every third one has its code strip read (drawn into a 16x2 canvas without smoothing, one pixel per
/// block centre) and its frame number kept with its display time (performance.timeOrigin + expectedDisplayTime, Unix
/// ms), its presentationTime and its receiveTime. The received sound is listened to two ways:
/// <list type="bullet">
/// <item>Web Audio (the earlier method): a MediaStreamAudioSourceNode into a 256-sample ScriptProcessor, each beep onset
/// at the moment the context plays it (getOutputTimestamp maps the audio clock onto the page's clock, less the
/// processor's own buffer). This is a second playout path beside the one the user hears: the source node's FIFO and
/// the context's own output device are in it.</item>
/// <item>The track's own chunks (MediaStreamTrackProcessor): Chromium hands a remote track's sinks each 10 ms of sound
/// as its WebRTC audio renderer pulls it out of the jitter buffer to play it, so a chunk's timestamp is the moment the
/// sound goes to the audio device (its timestamp is that moment, on the page's performance clock in Chromium 156);
/// what the device then adds is getStats <c>media-playout</c>'s playout delay.</item>
/// </list>
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
          const b = { presented: 0, base: 0, last: 0, frames: [], beeps: [], trackBeeps: [], chunkLags: [], unreadable: 0, calls: 0 };
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
              if (whole) {
                b.frames.push([index, performance.timeOrigin + m.expectedDisplayTime, performance.timeOrigin + m.presentationTime,
                  typeof m.receiveTime === 'number' ? performance.timeOrigin + m.receiveTime : 0]);
              } else {
                b.unreadable += 1;
              }
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
          if (typeof MediaStreamTrackProcessor !== 'function') { return true; }
          const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
          let quietTrack = 1e9;
          (async () => {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) { return; }
              const arrived = performance.now();
              const n = value.numberOfFrames;
              const rate = value.sampleRate;
              const stamp = value.timestamp / 1000;
              const x = new Float32Array(n);
              value.copyTo(x, { planeIndex: 0, format: 'f32-planar' });
              value.close();
              b.chunkLags.push([performance.timeOrigin, arrived, stamp]);
              for (let i = 0; i < n; i++) {
                if (Math.abs(x[i]) >= 0.1) {
                  if (quietTrack >= 0.3 * rate) {
                    b.trackBeeps.push([performance.timeOrigin + arrived + 1000 * i / rate, stamp + 1000 * i / rate]);
                  }
                  quietTrack = 0;
                } else {
                  quietTrack += 1;
                }
              }
            }
          })();
          return true;
        }
        """;

    private const string Read =
        """
        () => {
          const b = window.__rtcBench;
          const out = JSON.stringify({ presented: b.presented, unreadable: b.unreadable, frames: b.frames, beeps: b.beeps,
            trackBeeps: b.trackBeeps, chunkLags: b.chunkLags, now: performance.timeOrigin + performance.now() });
          b.frames = []; b.beeps = []; b.trackBeeps = []; b.chunkLags = [];
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

    /// <summary>The Web Audio context's latencies and the WebRTC audio renderer's playout delay counters now.</summary>
    public async Task<AudioOutputFigures> AudioOutputAsync() => JsonSerializer.Deserialize<AudioOutputFigures>(await Page.EvaluateAsync<string>(
        """
        async () => {
          const a = window.__rtcBenchAudio;
          const pc = window.__viewer.webrtc && window.__viewer.webrtc.pc;
          let playoutDelay = 0, playoutSamples = 0;
          if (pc) {
            (await pc.getStats()).forEach((e) => {
              if (e.type === 'media-playout' && e.kind === 'audio') {
                playoutDelay += e.totalPlayoutDelay || 0;
                playoutSamples += e.totalSamplesCount || 0;
              }
            });
          }
          return JSON.stringify({ baseLatency: a ? a.context.baseLatency || 0 : 0, outputLatency: a ? a.context.outputLatency || 0 : 0, playoutDelay, playoutSamples });
        }
        """), Json)!;

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
