using System.Text.Json;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Frontend;

/// <summary>
/// The MSE player's live-edge control (wwwroot/js/player/live-edge.js), run in Chromium with a scripted clock:
/// rate 1 inside the band (the smallest lag of the last second counts, so bursts of the buffered end do not), a gentle
/// catch-up beyond it until the target is reached, a seek when far behind, and a
/// target that rises with each stall and comes back down in calm periods.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class LiveEdgeTests(ChromiumFixture chromium)
{
    private const string Scenario =
        """
        async () => {
          const { LiveEdge, SILENT, WITH_SOUND, SEEK_LAG_S } = await import('/js/player/live-edge.js');
          const edge = new LiveEdge(SILENT);
          const t = SILENT.floorS;
          let now = 0;
          // Frames at 60 per second for ms milliseconds, each shown at lag(i) behind the buffered end; the last rate.
          const feed = (ms, lag) => { let rate = 1; for (let i = 0; i * 16 < ms; i++) { now += 16; rate = edge.rate(lag(i), now); } return rate; };
          const r = {};
          r.atTarget = feed(1000, () => t);
          r.inBand = feed(1000, () => t + SILENT.bandS * 0.9);
          // The buffered end moving in bursts: the lag peaks far beyond the band every tenth frame but its floor is in the band.
          r.bursts = feed(2000, (i) => (i % 10 === 0 ? t : t + 0.3));
          r.beyondBand = feed(1100, () => t + SILENT.bandS + 0.01);
          r.stillAbove = feed(16, () => t + 0.005);
          r.reached = feed(16, () => t - 0.001);
          r.afterReached = feed(500, () => t + SILENT.bandS * 0.9);
          r.farBehind = feed(1100, () => 0.9);
          r.seek = feed(1100, () => SEEK_LAG_S + 0.1);
          edge.restart();
          const stepped = [0.05, 0.1, 0.2, 0.5].map((excess) => { edge.restart(); return feed(1100, () => t + SILENT.bandS + excess); });
          r.steps = stepped;
          for (let i = 0; i < 100; i++) { edge.stalled(1000); }
          r.ceiling = edge.targetS;
          r.calm = [];
          now = 1000;
          for (let i = 0; i < 3; i++) { now += SILENT.calmMs; edge.rate(0, now); r.calm.push(edge.targetS); }
          const relaxed = new LiveEdge(SILENT);
          relaxed.stalled(0);
          r.oneStall = relaxed.targetS;
          for (let i = 1; i <= 20; i++) { relaxed.rate(0, i * SILENT.calmMs); }
          r.relaxedToFloor = relaxed.targetS;
          edge.use(WITH_SOUND);
          r.soundTarget = edge.targetS;
          r.profiles = { silent: SILENT, sound: WITH_SOUND };
          return JSON.stringify(r);
        }
        """;

    [ChromiumFact]
    public async Task LiveEdge_RateOneInBand_GentleCatchUp_TargetAdaptsToStalls()
    {
        await using var host = await ReceiverHost.StartAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, "/").ToString());

        var r = JsonDocument.Parse(await page.EvaluateAsync<string>(Scenario)).RootElement;
        var silent = r.GetProperty("profiles").GetProperty("silent");
        var sound = r.GetProperty("profiles").GetProperty("sound");
        var floor = silent.GetProperty("floorS").GetDouble();
        var maxRate = silent.GetProperty("maxRate").GetDouble();

        Assert.Equal(1, r.GetProperty("atTarget").GetDouble());
        Assert.Equal(1, r.GetProperty("inBand").GetDouble());
        Assert.Equal(1, r.GetProperty("bursts").GetDouble());
        var catchUp = r.GetProperty("beyondBand").GetDouble();
        Assert.InRange(catchUp, 1.01, 1.1);
        Assert.True(r.GetProperty("stillAbove").GetDouble() > 1, "keeps catching up until the target is reached");
        Assert.Equal(1, r.GetProperty("reached").GetDouble());
        Assert.Equal(1, r.GetProperty("afterReached").GetDouble());
        Assert.InRange(r.GetProperty("farBehind").GetDouble(), 1.01, maxRate);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("seek").ValueKind);
        var steps = r.GetProperty("steps").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(steps.Order().ToArray(), steps);
        Assert.All(steps, rate => Assert.InRange(rate, 1.01, maxRate));
        Assert.All(steps, rate => Assert.Equal(Math.Round(rate * 50), rate * 50, 6));

        Assert.Equal(silent.GetProperty("ceilingS").GetDouble(), r.GetProperty("ceiling").GetDouble(), 6);
        var calm = r.GetProperty("calm").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(calm.OrderDescending().ToArray(), calm);
        Assert.True(calm[^1] < r.GetProperty("ceiling").GetDouble(), "calm periods lower the target");
        Assert.Equal(floor + silent.GetProperty("stallStepS").GetDouble(), r.GetProperty("oneStall").GetDouble(), 6);
        Assert.Equal(floor, r.GetProperty("relaxedToFloor").GetDouble(), 6);
        Assert.Equal(sound.GetProperty("floorS").GetDouble(), r.GetProperty("soundTarget").GetDouble(), 6);
        Assert.True(sound.GetProperty("floorS").GetDouble() > floor, "with sound the floor is higher");
        await page.Context.CloseAsync();
    }

    [ChromiumFact]
    public async Task LiveEdge_AfterJoin_CatchesUpFasterForAFewSecondsOnly()
    {
        await using var host = await ReceiverHost.StartAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, "/").ToString());

        var r = JsonDocument.Parse(await page.EvaluateAsync<string>(
            """
            async () => {
              const { LiveEdge, WITH_SOUND, JOIN_BOOST } = await import('/js/player/live-edge.js');
              const edge = new LiveEdge(WITH_SOUND);
              let now = 1000;
              const feed = (ms, lag) => { let rate = 1; for (let i = 0; i * 16 < ms; i++) { now += 16; rate = edge.rate(lag, now); } return rate; };
              edge.joined(now);
              const joining = feed(400, 0.5);
              now = 1000 + JOIN_BOOST.ms + 100;
              edge.restart();
              const later = feed(1100, 0.5);
              return JSON.stringify({ joining, later, boost: JOIN_BOOST.maxRate, maxRate: WITH_SOUND.maxRate });
            }
            """)).RootElement;

        // Half a second behind right after joining: faster than the steady catch-up allows, within the join's limit.
        Assert.InRange(r.GetProperty("joining").GetDouble(), r.GetProperty("maxRate").GetDouble() + 0.01, r.GetProperty("boost").GetDouble());
        // The same lag later on: the steady profile's gentle limit again.
        Assert.InRange(r.GetProperty("later").GetDouble(), 1.01, r.GetProperty("maxRate").GetDouble());
        await page.Context.CloseAsync();
    }
}
