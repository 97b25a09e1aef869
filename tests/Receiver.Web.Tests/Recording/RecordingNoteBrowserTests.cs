using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Receiver.Web.Recording;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Recording;

/// <summary>The dashboard says why a session is not recorded, or why its recording stopped by itself.</summary>
[Collection(SerialCollection.Name)]
public sealed class RecordingNoteBrowserTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [ChromiumFact]
    public async Task SessionRow_ShowsTheRefusalAndTheDiskFullStop()
    {
        Assert.True(H264Clip.CanCreate, "ffmpeg is needed to make the test video");
        var clip = await H264Clip.CreateAsync(640, 360, 90);
        var volume = new FakeVolume(GiB / 2);
        await using var host = await ReceiverHost.StartAsync(s => s.AddSingleton<IVolumeFreeSpace>(volume));
        var session = AdminSessions.Start(host, "Anna's iPhone");
        clip.BeginVideo(host, session);
        clip.Publish(session, 0, 30);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(host.WebUrl.ToString());
        var row = page.Locator($"li.session[data-session-id='{session.Id}']");
        var record = row.Locator("button.record");
        var note = row.Locator(".recording-note");
        await Assertions.Expect(record).ToHaveTextAsync("Record");
        await Assertions.Expect(note).ToBeHiddenAsync();

        // Below the floor: refused, and the row says why.
        await record.ClickAsync();
        await Assertions.Expect(note).ToContainTextAsync("Not recorded: The recordings volume has 536870912 bytes free");
        await Assertions.Expect(record).ToHaveTextAsync("Record");

        // Room again: it records, and the note goes.
        volume.Available = 8 * GiB;
        await record.ClickAsync();
        await Assertions.Expect(record).ToHaveTextAsync("Stop recording");
        await Assertions.Expect(note).ToBeHiddenAsync();

        // The volume reaches the floor while recording (after the recorder last asked): it stops by itself.
        volume.Available = GiB + 1000;
        await Task.Delay(RecordingBudget.RecheckInterval * 2);
        clip.Publish(session, 30, 30);
        await Assertions.Expect(note).ToContainTextAsync("Recording stopped: the disk is full");
        await Assertions.Expect(record).ToHaveTextAsync("Record");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-recording", "false");
        Assert.Empty(errors);
    }
}
