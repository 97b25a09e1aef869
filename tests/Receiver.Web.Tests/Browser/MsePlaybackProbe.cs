using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Receiver.Web.Tests.Browser;

/// <summary>
/// Watches the MSE player of a viewer page: the video element's waiting/stalled/seeking events, painted frames
/// (requestVideoFrameCallback), decoded frames (getVideoPlaybackQuality), playbackRate changes, and the buffered
/// ranges of the element and of each SourceBuffer, so that a measurement can say how the page played a stretch.
/// </summary>
public sealed class MsePlaybackProbe
{
    private const string InstallScript =
        """
        () => {
          if (window.__mseProbe) { return; }
          const v = document.querySelector('video');
          const probe = { waiting: 0, stalled: 0, seeking: 0, painted: 0, rateChanges: 0, maxRate: 1, gaps: 0, samples: [] };
          v.addEventListener('waiting', () => probe.waiting++);
          v.addEventListener('stalled', () => probe.stalled++);
          v.addEventListener('seeking', () => probe.seeking++);
          v.addEventListener('ratechange', () => { probe.rateChanges++; probe.maxRate = Math.max(probe.maxRate, v.playbackRate); });
          const painted = () => { probe.painted++; v.requestVideoFrameCallback(painted); };
          v.requestVideoFrameCallback(painted);
          const end = (b) => b && b.buffered.length ? b.buffered.end(b.buffered.length - 1) : NaN;
          setInterval(() => {
            if (v.buffered.length > 1) { probe.gaps++; }
            const player = window.__viewer && window.__viewer.player;
            const q = v.getVideoPlaybackQuality();
            probe.samples.push([Math.round(performance.now()), v.currentTime, v.playbackRate, end(v), end(player && player.sourceBuffer), end(player && player.audioBuffer), v.readyState, probe.painted, q.totalVideoFrames, q.droppedVideoFrames, probe.waiting]);
            if (probe.samples.length > 600) { probe.samples.shift(); }
          }, 100);
          window.__mseProbe = probe;
        }
        """;

    private const string ReadScript =
        """
        () => {
          const p = window.__mseProbe;
          const v = document.querySelector('video');
          const q = v.getVideoPlaybackQuality();
          const s = window.__viewerStats || {};
          const player = window.__viewer && window.__viewer.player;
          const ranges = (b) => { const out = []; if (b) { for (let i = 0; i < b.buffered.length; i++) { out.push(b.buffered.start(i).toFixed(3) + '-' + b.buffered.end(i).toFixed(3)); } } return out.join(' '); };
          return JSON.stringify({
            waiting: p.waiting, stalled: p.stalled, seeking: p.seeking, painted: p.painted, rateChanges: p.rateChanges,
            maxRate: p.maxRate, gaps: p.gaps, currentTime: v.currentTime, rate: v.playbackRate,
            decoded: q.totalVideoFrames - q.droppedVideoFrames, droppedByDecoder: q.droppedVideoFrames,
            latencyCount: (s.latencies || []).length, audioFrames: s.audioFrames || 0,
            audioBytes: v.webkitAudioDecodedByteCount || 0, error: s.lastError || '', mode: s.mode || '',
            now: performance.now(), targetLag: player && player.liveEdge ? player.liveEdge.targetS : 0, ranges: ranges(v), videoRanges: ranges(player && player.sourceBuffer), audioRanges: ranges(player && player.audioBuffer) });
        }
        """;

    private readonly IPage _page;

    private MsePlaybackProbe(IPage page) => _page = page;

    public static async Task<MsePlaybackProbe> InstallAsync(IPage page)
    {
        await page.EvaluateAsync(InstallScript);
        return new MsePlaybackProbe(page);
    }

    /// <summary>The last minute of samples taken every 100 ms: time (ms), currentTime, playbackRate, buffered end of the element, of the video and of the audio SourceBuffer (s), readyState, frames painted, decoded and dropped, waiting events.</summary>
    public async Task<double[][]> SamplesAsync() =>
        await _page.EvaluateAsync<double[][]>("() => window.__mseProbe.samples.map(s => s.map(x => Number.isFinite(x) ? x : -1))");

    /// <summary>
    /// Seconds from the first painted picture until the lag (buffered end − playhead) first came within 100 ms of
    /// <paramref name="targetLag"/>, from the samples; NaN when it did not (or no picture was painted yet).
    /// </summary>
    public async Task<double> SteadyAfterAsync(double targetLag)
    {
        var samples = await SamplesAsync();
        var first = Array.FindIndex(samples, s => s[7] > 0);
        if (first < 0)
        {
            return double.NaN;
        }

        var steady = Array.FindIndex(samples, first, s => s[3] >= 0 && s[3] - s[1] <= targetLag + 0.1);
        return steady < 0 ? double.NaN : (samples[steady][0] - samples[first][0]) / 1000;
    }

    public async Task<MsePlaybackState> ReadAsync() =>
        JsonSerializer.Deserialize<MsePlaybackState>(await _page.EvaluateAsync<string>(ReadScript), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>Watches for <paramref name="duration"/> and returns what the page did in that time.</summary>
    public async Task<MsePlaybackFigures> MeasureAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var first = await ReadAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(duration, cancellationToken);
        var last = await ReadAsync();
        var latencies = await _page.EvaluateAsync<double[]>("(skip) => (window.__viewerStats.latencies || []).slice(skip)", first.LatencyCount);
        var samples = (await SamplesAsync()).Where(s => s[0] >= first.Now && s[0] <= last.Now).ToArray();
        return new MsePlaybackFigures(first, last, watch.Elapsed.TotalSeconds, latencies, samples);
    }
}

/// <summary>One reading of <see cref="MsePlaybackProbe"/>.</summary>
public sealed record MsePlaybackState(
    double Now, int Waiting, int Stalled, int Seeking, int Painted, int RateChanges, double MaxRate, int Gaps, double CurrentTime,
    double Rate, int Decoded, int DroppedByDecoder, int LatencyCount, int AudioFrames, long AudioBytes, string Error,
    string Mode, double TargetLag, string Ranges, string VideoRanges, string AudioRanges);

/// <summary>What the page did between two readings.</summary>
public sealed record MsePlaybackFigures(MsePlaybackState First, MsePlaybackState Last, double Seconds, double[] Latencies, double[][] Samples)
{
    /// <summary>The longest time (s) the playhead stood still in the samples (a stall: waiting for data or a starved renderer).</summary>
    public double LongestFreeze
    {
        get
        {
            var longest = 0.0;
            var since = -1.0;
            for (var i = 1; i < Samples.Length; i++)
            {
                if (Samples[i][1] == Samples[i - 1][1])
                {
                    since = since < 0 ? Samples[i - 1][0] : since;
                    longest = Math.Max(longest, (Samples[i][0] - since) / 1000);
                }
                else
                {
                    since = -1;
                }
            }

            return longest;
        }
    }

    /// <summary>Seconds of media played.</summary>
    public double Played => Last.CurrentTime - First.CurrentTime;

    /// <summary>Frames decoded and kept per second of media played.</summary>
    public double DecodedPerMediaSecond => (Last.Decoded - First.Decoded) / Math.Max(Played, 0.001);

    /// <summary>Frames painted (requestVideoFrameCallback) per second of media played.</summary>
    public double PaintedPerMediaSecond => (Last.Painted - First.Painted) / Math.Max(Played, 0.001);

    public int Waiting => Last.Waiting - First.Waiting;

    public int Seeks => Last.Seeking - First.Seeking;

    public int AudioFrames => Last.AudioFrames - First.AudioFrames;

    public double LatencyPercentile(double percentile)
    {
        if (Latencies.Length == 0)
        {
            return double.NaN;
        }

        var sorted = Latencies.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"played {Played:F2} s of media in {Seconds:F2} s (longest freeze {LongestFreeze:F2} s); decoded+kept {DecodedPerMediaSecond:F1}/s, painted {PaintedPerMediaSecond:F1}/s " +
        $"(decoder dropped {Last.DroppedByDecoder - First.DroppedByDecoder}); waiting {Waiting}, stalled {Last.Stalled - First.Stalled}, seeks {Seeks}, " +
        $"rate changes {Last.RateChanges - First.RateChanges} (max {Last.MaxRate:F2}), multi-range samples {Last.Gaps - First.Gaps}, target lag {Last.TargetLag * 1000:F0} ms; " +
        $"latency p50 {LatencyPercentile(50):F0} p95 {LatencyPercentile(95):F0} ms ({Latencies.Length}); audio frames {AudioFrames}, " +
        $"decoded audio bytes {Last.AudioBytes - First.AudioBytes}; ranges [{Last.Ranges}] video [{Last.VideoRanges}] audio [{Last.AudioRanges}]; error '{Last.Error}'");
}
