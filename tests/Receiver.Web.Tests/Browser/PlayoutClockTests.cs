using System.Text.Json;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Browser;

/// <summary>
/// The WebCodecs player's A/V playout clock (wwwroot/js/player/playout-clock.js), run in Chromium on a simulated
/// timeline: steady arrival, a stall, then steady arrival again.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class PlayoutClockTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    // Video every 1000/60 ms arriving 20 ms after its media time, AAC frames of 1024 samples at 44.1 kHz arriving
    // 60 ms after theirs; from 3 s on nothing arrives for 500 ms, then the backlog and everything after it arrive.
    private const string Simulation =
        """
        async () => {
          const { PlayoutClock } = await import('/js/player/playout-clock.js');
          let now = 0;
          const timers = [];
          const clock = new PlayoutClock(() => now, (f, ms) => timers.push({ at: now + ms, f }));
          const released = { audio: [], video: [] };
          const audioUs = 1024 / 44100 * 1e6;
          const items = [];
          for (let t = 0; t < 15000; t += 1000 / 60) items.push({ kind: 'video', media: t, arrive: t + 20 });
          for (let t = 0; t < 15000; t += audioUs / 1000) items.push({ kind: 'audio', media: t, arrive: t + 60 });
          for (const item of items) if (item.arrive >= 3000) item.arrive = Math.max(item.arrive, 3500 + (item.arrive - 3000) / 50);
          items.sort((a, b) => a.arrive - b.arrive);
          const samples = [];
          let dropped = 0;
          const run = (until) => {
            timers.sort((a, b) => a.at - b.at);
            while (timers.length > 0 && timers[0].at <= until) {
              const timer = timers.shift();
              now = Math.max(now, timer.at);
              timer.f();
            }
          };
          for (const item of items) {
            run(item.arrive);
            now = item.arrive;
            clock.schedule(item.kind, item.media * 1000,
              () => released[item.kind].push({ media: item.media, at: now }),
              item.kind === 'audio' ? audioUs : 0, () => dropped++);
            if (samples.length === 0 || now - samples[samples.length - 1].at >= 250) samples.push({ at: now, delay: clock.offsetMs });
          }
          run(Infinity);
          const ordered = (list) => list.every((x, i) => i === 0 || (x.media > list[i - 1].media && x.at >= list[i - 1].at));
          const lateness = (list, from) => list.filter(x => x.media >= from).map(x => x.at - x.media);
          const audioGaps = released.audio.slice(1).map((x, i) => x.at - released.audio[i].at);
          return JSON.stringify({
            before: samples.filter(s => s.at < 3000).pop().delay,
            peak: Math.max(...samples.map(s => s.delay)),
            recoveredAfterMs: (samples.find(s => s.at >= 3500 && s.delay <= samples.filter(x => x.at < 3000).pop().delay + 100)?.at ?? 1e9) - 3500,
            trace: samples.filter(s => s.at >= 2800 && s.at < 9000).map(s => `${s.at.toFixed(0)}:${s.delay.toFixed(0)}`).join(' '),
            end: clock.offsetMs,
            dropped, skipped: clock.audioSkipped,
            videoReleased: released.video.length, videoSent: items.filter(x => x.kind === 'video').length,
            audioReleased: released.audio.length, audioSent: items.filter(x => x.kind === 'audio').length,
            ordered: ordered(released.audio) && ordered(released.video),
            videoLateEnd: Math.max(...lateness(released.video, 12000)),
            audioLateEnd: Math.max(...lateness(released.audio, 12000)),
            longestAudioGapAfterRecovery: Math.max(...audioGaps.slice(-200)),
          });
        }
        """;

    [ChromiumFact]
    public async Task Clock_AfterAStall_ComesBackToTheSteadyDelayWithinASecondAndAHalf_KeepingBothTracksInOrder()
    {
        await using var host = await ReceiverHost.StartAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, "/").ToString());

        var json = await page.EvaluateAsync<string>(Simulation);
        output.WriteLine(json);
        var r = JsonDocument.Parse(json).RootElement;
        double Get(string name) => r.GetProperty(name).GetDouble();

        Assert.InRange(Get("before"), 60, 70);
        Assert.True(Get("peak") > 500, "the stall raised the delay");
        // Back near the steady delay soon after the stall ends: what the stall held up arrived late all at once, which
        // is no reason to hold everything back for seconds.
        Assert.InRange(Get("recoveredAfterMs"), 0, 1500);
        Assert.InRange(Get("end"), 65, 130);
        Assert.True(Get("skipped") > 15, "audio frames were dropped to come back");
        Assert.Equal(Get("skipped"), Get("dropped"));
        Assert.Equal(Get("videoSent"), Get("videoReleased"));
        Assert.Equal(Get("audioSent") - Get("dropped"), Get("audioReleased"));
        Assert.True(r.GetProperty("ordered").GetBoolean(), "each track is released in media order");
        Assert.InRange(Get("videoLateEnd"), 0, 135);
        Assert.InRange(Get("audioLateEnd"), 0, 135);
        Assert.InRange(Get("longestAudioGapAfterRecovery"), 0, 30);
        await page.Context.CloseAsync();
    }

    [ChromiumFact]
    public async Task PlayoutDelay_MediaTimeFarFromPageTime_IsTheTimePicturesAreHeld()
    {
        // Media time counts from the session's first picture (here a minute in), performance.now from the page's load
        // (here one second): the clock's offset between them is no duration, the playout delay is. Video arrives
        // 20 ms after its media time, audio 60 ms: each picture waits ≈ 45 ms (60 − 20 + the 5 ms margin) for its sound.
        await using var host = await ReceiverHost.StartAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, "/").ToString());
        var json = await page.EvaluateAsync<string>(
            """
            async () => {
              const { PlayoutClock } = await import('/js/player/playout-clock.js');
              let now = 1000;
              const timers = [];
              const clock = new PlayoutClock(() => now, (f, ms) => timers.push({ at: now + ms, f }));
              const origin = 60000;
              const items = [];
              for (let t = 0; t < 2000; t += 1000 / 60) items.push({ kind: 'video', media: origin + t, arrive: 1000 + t + 20 });
              for (let t = 0; t < 2000; t += 480 / 44.1) items.push({ kind: 'audio', media: origin + t, arrive: 1000 + t + 60 });
              items.sort((a, b) => a.arrive - b.arrive);
              const delays = [];
              for (const item of items) {
                timers.sort((a, b) => a.at - b.at);
                while (timers.length > 0 && timers[0].at <= item.arrive) { const timer = timers.shift(); now = Math.max(now, timer.at); timer.f(); }
                now = item.arrive;
                clock.schedule(item.kind, item.media * 1000, () => {}, item.kind === 'audio' ? 480 / 44.1 * 1000 : 0, () => {});
                if (clock.playoutDelayMs !== null) delays.push(clock.playoutDelayMs);
              }
              return JSON.stringify({ offset: clock.offsetMs, last: clock.playoutDelayMs, min: Math.min(...delays), count: delays.length });
            }
            """);
        output.WriteLine(json);
        var r = JsonDocument.Parse(json).RootElement;
        Assert.True(r.GetProperty("offset").GetDouble() < -50_000, "the offset relates two unrelated clocks");
        Assert.InRange(r.GetProperty("last").GetDouble(), 40, 50);
        Assert.InRange(r.GetProperty("min").GetDouble(), 0, 50);
        Assert.True(r.GetProperty("count").GetInt32() > 50);
        await page.Context.CloseAsync();
    }
}
