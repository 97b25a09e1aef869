using System.Text.Json;
using Microsoft.Playwright;

namespace Receiver.ViewerBench;

/// <summary>One sample of the viewer page, taken every <see cref="ViewerProbe.Interval"/>.</summary>
public sealed record PageSample(
    double Time, double Presented, double Decoded, double Dropped, int Latencies, double? AvOffsetMs, double? PlayoutDelayMs,
    double? FirstFrameMs, double PlaybackRate, int AudioFrames, int Waiting, string Error, string Mode, int Added);

/// <summary>
/// Watches the viewer page: counts the pictures the compositor presented (requestVideoFrameCallback's
/// presentedFrames, which counts every presented frame even when callbacks are merged), the video element's
/// decoded and dropped frames, its waiting events, and the page's own figures (window.__viewerStats).
/// </summary>
public sealed class ViewerProbe(IPage page)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private const string Install =
        """
        () => {
          const v = document.querySelector('video');
          const bench = { presented: 0, base: 0, last: 0, waiting: 0 };
          window.__bench = bench;
          v.addEventListener('waiting', () => { bench.waiting += 1; });
          const loop = (_now, m) => {
            // A new source (an MSE rebuild) starts presentedFrames again from zero.
            if (m.presentedFrames < bench.last) { bench.base += bench.last; }
            bench.last = m.presentedFrames;
            bench.presented = bench.base + m.presentedFrames;
            v.requestVideoFrameCallback(loop);
          };
          v.requestVideoFrameCallback(loop);
        }
        """;

    private const string Sample =
        """
        () => {
          const s = window.__viewerStats || {};
          const b = window.__bench;
          const v = document.querySelector('video');
          const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : { totalVideoFrames: 0, droppedVideoFrames: 0 };
          return JSON.stringify({
            time: performance.now(), presented: b.presented, decoded: q.totalVideoFrames - q.droppedVideoFrames,
            dropped: q.droppedVideoFrames, latencies: (s.latencies || []).length,
            avOffsetMs: typeof s.avOffsetMs === 'number' ? s.avOffsetMs : null,
            playoutDelayMs: typeof s.playoutDelayMs === 'number' ? s.playoutDelayMs : null,
            firstFrameMs: s.firstFrameMs ?? null, playbackRate: v.playbackRate, audioFrames: s.audioFrames || 0,
            waiting: b.waiting, error: s.lastError || '', mode: s.mode || '', added: (s.receiverAdded || []).length });
        }
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IPage Page { get; } = page;

    public Task InstallAsync() => Page.EvaluateAsync(Install);

    public async Task<PageSample> SampleAsync() =>
        JsonSerializer.Deserialize<PageSample>(await Page.EvaluateAsync<string>(Sample), Json)!;

    /// <summary>Latencies (ms, capture on the phone → picture presented) recorded by the page, oldest first.</summary>
    public Task<double[]> LatenciesAsync() => Page.EvaluateAsync<double[]>("() => (window.__viewerStats.latencies || [])");

    /// <summary>Receiver-added latency (ms, access unit complete → WebSocket send) of each video message the page received.</summary>
    public Task<double[]> ReceiverAddedAsync() => Page.EvaluateAsync<double[]>("() => (window.__viewerStats.receiverAdded || [])");
}
