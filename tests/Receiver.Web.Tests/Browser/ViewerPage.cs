using System.Text.Json;
using Microsoft.Playwright;

namespace Receiver.Web.Tests.Browser;

/// <summary>Reads the viewer page's <c>window.__viewerStats</c> and the <c>&lt;video&gt;</c> element.</summary>
public sealed class ViewerPage(IPage page)
{
    public IPage Page { get; } = page;

    public async Task<ViewerSnapshot> SnapshotAsync()
    {
        var json = await Page.EvaluateAsync<string>(
            """
            () => {
              const s = window.__viewerStats || {};
              const v = document.querySelector('video');
              const m = document.querySelector('[data-role=message]');
              return JSON.stringify({
                state: s.state || '', mode: s.mode || '', framesPresented: s.framesPresented || 0,
                width: v.videoWidth, height: v.videoHeight, latencyCount: (s.latencies || []).length,
                message: m && !m.hidden ? m.textContent : '', firstFrameMs: s.firstFrameMs ?? -1,
                lowDelay: !!s.lowDelay, droppedFrames: s.droppedFrames || 0, lastError: s.lastError || '',
                loadMarker: window.__loadMarker || 0 });
            }
            """);
        return JsonSerializer.Deserialize<ViewerSnapshot>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>Latency samples (ms) recorded after the first <paramref name="skip"/> ones.</summary>
    public async Task<double[]> LatenciesAsync(string name, int skip) =>
        await Page.EvaluateAsync<double[]>($"(skip) => (window.__viewerStats.{name} || []).slice(skip)", skip);

    public async Task<ViewerSnapshot> WaitAsync(Func<ViewerSnapshot, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var snapshot = await SnapshotAsync();
        while (!condition(snapshot))
        {
            if (DateTime.UtcNow > deadline)
            {
                await ScreenshotAsync("timeout-" + what);
                throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds} s; last state {snapshot}");
            }

            await Task.Delay(100);
            snapshot = await SnapshotAsync();
        }

        return snapshot;
    }

    public async Task ScreenshotAsync(string name)
    {
        var file = Path.Combine(ChromiumFixture.ScreenshotDirectory, string.Concat(name.Split(Path.GetInvalidFileNameChars())) + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
    }
}
