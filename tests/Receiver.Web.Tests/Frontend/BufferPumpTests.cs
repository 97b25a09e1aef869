using System.Text.Json;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Frontend;

/// <summary>
/// The MSE player's SourceBuffer queue (wwwroot/js/player/buffer-pump.js), run in Chromium against a fake
/// SourceBuffer: one operation at a time, in order, nothing before the buffer is attached and open.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class BufferPumpTests(ChromiumFixture chromium)
{
    private const string Scenario =
        """
        async () => {
          const { BufferPump } = await import('/js/player/buffer-pump.js');
          const log = [];
          const errors = [];
          const buffer = {
            updating: false,
            appendBuffer(data) {
              if (data === 'bad') throw new Error('bad data');
              log.push(`append ${data}`);
              this.updating = true;
            },
            remove(start, end) { log.push(`remove ${start}-${end}`); this.updating = true; },
            changeType(mime) { log.push(`changeType ${mime}`); },
          };
          const idle = () => { buffer.updating = false; pump.pump(); };
          const mediaSource = { readyState: 'open' };
          const pump = new BufferPump((error) => errors.push(String(error)));
          pump.push({ op: 'append', data: 'init', init: true });
          pump.pump();
          const beforeAttach = log.length;
          pump.attach(mediaSource, buffer);
          pump.push({ op: 'changeType', mime: 'video/mp4' });
          pump.push({ op: 'append', data: 'a1' });
          pump.push({ op: 'remove', start: 0, end: 5 });
          pump.push({ op: 'append', data: 'bad' });
          pump.push({ op: 'append', data: 'a2' });
          pump.pump();
          pump.pump();
          const whileUpdating = log.length;
          idle(); idle(); idle(); idle();
          pump.push({ op: 'append', data: 'a3' });
          pump.push({ op: 'append', data: 'i2', init: true });
          pump.push({ op: 'append', data: 'a4' });
          const dropped = pump.retain((entry) => entry.op !== 'append' || entry.init === true);
          const waiting = pump.length;
          mediaSource.readyState = 'ended';
          idle();
          const afterEnded = log.length;
          mediaSource.readyState = 'open';
          idle();
          pump.clear();
          pump.push({ op: 'append', data: 'late' });
          idle();
          return JSON.stringify({ log, errors, beforeAttach, whileUpdating, dropped, waiting, afterEnded, attached: pump.buffer !== null });
        }
        """;

    [ChromiumFact]
    public async Task Pump_SendsOneOperationAtATimeInOrder_OnlyToAnOpenAttachedBuffer()
    {
        await using var host = await ReceiverHost.StartAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, "/").ToString());

        var r = JsonDocument.Parse(await page.EvaluateAsync<string>(Scenario)).RootElement;

        Assert.Equal(
            ["append init", "changeType video/mp4", "append a1", "remove 0-5", "append a2", "append i2"],
            r.GetProperty("log").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(["Error: bad data"], r.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(0, r.GetProperty("beforeAttach").GetInt32());
        Assert.Equal(1, r.GetProperty("whileUpdating").GetInt32());
        Assert.Equal(2, r.GetProperty("dropped").GetInt32());
        Assert.Equal(1, r.GetProperty("waiting").GetInt32());
        Assert.Equal(5, r.GetProperty("afterEnded").GetInt32());
        Assert.False(r.GetProperty("attached").GetBoolean());
        await page.Context.CloseAsync();
    }
}
