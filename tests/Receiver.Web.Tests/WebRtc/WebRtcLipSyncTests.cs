using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Sender.Sessions;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Receiver.Web.WebRtc;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>
/// A/V sync over WebRTC, measured in two halves that add up. Janus rebases each viewer's RTP timestamps and writes its
/// own RTCP sender reports, stamped with the moment it forwards each packet, so what the browser lip-syncs is
/// "forwarded together". (1) In Chromium: at the same instant, the picture shown and the sound played, each as the
/// sender-report time it was forwarded at (<c>estimatedPlayoutTimestamp</c> of both inbound streams): their difference
/// is how far apart the browser plays what Janus forwarded together. (2) In the receiver: how long after its media
/// time each stream leaves for Janus (<see cref="JanusIngest.VideoSendLagMicroseconds"/>,
/// <see cref="JanusIngest.AudioSendLagMicroseconds"/>). The A/V offset on the session's media timeline is (1) + (2):
/// positive when the sound is late.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class WebRtcLipSyncTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    // Every 100 ms for `ms`: the video's estimatedPlayoutTimestamp minus the audio's, from one getStats report.
    private const string MeasureScript = """
        async (ms) => {
          const pc = window.__viewer.webrtc.pc;
          const differences = [];
          const end = performance.now() + ms;
          while (performance.now() < end) {
            const report = await pc.getStats();
            let video = null;
            let audio = null;
            report.forEach((entry) => {
              if (entry.type === 'inbound-rtp' && typeof entry.estimatedPlayoutTimestamp === 'number') {
                if (entry.kind === 'video') video = entry.estimatedPlayoutTimestamp;
                if (entry.kind === 'audio') audio = entry.estimatedPlayoutTimestamp;
              }
            });
            if (video !== null && audio !== null) differences.push(video - audio);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          return differences;
        }
        """;

    [JanusChromiumFact]
    public async Task WebRtc_SoundAndPictureOfOneInstant_ArePlayedTogether()
    {
        Require.Ffmpeg();
        var (browser, receiver, samples) = await MeasureAsync();
        var offset = browser + receiver;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"A/V offset over WebRTC {offset:F1} ms (sound late when > 0): browser {browser:F1} ms + receiver {receiver:F1} ms, {samples} samples"));
        Assert.True(samples >= 30, $"{samples} samples with both streams' playout times");
        // The receiver's half is what it controls, and is held to the ±40 ms target: the sound leaves at the picture's
        // median lag (without the pacing the simulated sender's sound leaves ≈ 445 ms before its picture). The
        // browser's half is headless Chromium's own and moves from run to run on a shared machine: it is reported,
        // not bounded (docs/WEBRTC.md).
        Assert.InRange(receiver, -40, 40);
    }

    private async Task<(double BrowserMs, double ReceiverMs, int Samples)> MeasureAsync(params string[] arguments)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var janus = await JanusProcess.StartAsync(cts.Token);
        await using var host = await ReceiverHost.StartAsync([$"--Receiver:WebRtc:JanusUrl={janus.ApiUrl}", .. arguments]);
        var sending = new AirPlaySenderSession(SenderTestMedia.LiveAudioOptions(host.ControlPort, 60)).RunAsync(cts.Token);
        while (host.Sessions.Count == 0 && !sending.IsCompleted)
        {
            await Task.Delay(10, cts.Token);
        }

        var session = host.Sessions.Sessions.First();
        var page = new ViewerPage(await chromium.NewPageAsync());
        try
        {
            await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}").ToString());
            await page.WaitAsync(s => s.Mode == "webrtc" && s.FramesPresented > 60, TimeSpan.FromSeconds(40), "webrtc-lipsync");
            // Let both jitter buffers and the browser's sync settle (it moves the delays in steps, over seconds).
            await page.Page.WaitForFunctionAsync("async () => (await window.__viewer.webrtc.inbound()).audioPackets > 100", null, new() { Timeout = 20_000 });
            await Task.Delay(12000, cts.Token);
            var ingest = host.App.Services.GetRequiredService<JanusIngestService>().IngestOf(session.Id)!;
            var receiverSamples = new List<double>();
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    if (ingest.AudioSendLagMicroseconds is { } audio && ingest.VideoSendLagMicroseconds is { } video)
                    {
                        lock (receiverSamples)
                        {
                            receiverSamples.Add((audio - video) / 1000);
                        }
                    }

                    await Task.Delay(100, CancellationToken.None);
                }
            }, CancellationToken.None);
            var browser = (await page.Page.EvaluateAsync<double[]>(MeasureScript, 6000)).Order().ToArray();
            await sampling.CancelAsync();
            await sampler;
            double[] receiver;
            lock (receiverSamples)
            {
                receiver = [.. receiverSamples.Order()];
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"browser: video minus audio playout p10/p50/p90 {P(browser, 10):F1}/{P(browser, 50):F1}/{P(browser, 90):F1} ms; receiver: audio minus video send lag {P(receiver, 10):F1}/{P(receiver, 50):F1}/{P(receiver, 90):F1} ms"));
            return (P(browser, 50), P(receiver, 50), Math.Min(browser.Length, receiver.Length));
        }
        finally
        {
            await page.Page.Context.CloseAsync();
            cts.Cancel();
            try
            {
                await sending;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static double P(double[] sorted, int percentile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, sorted.Length * percentile / 100)];
}
