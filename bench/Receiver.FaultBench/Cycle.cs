using Receiver.Sender.Audio;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;

namespace Receiver.FaultBench;

/// <summary>What every scenario does around its harm: a receiver of its own, a warm-up sender, the baseline, and the simulated senders' options.</summary>
public static class Cycle
{
    /// <summary>Starts a receiver, runs one complete sender with sound through it (so what the first session loads once is in the baseline), lets it settle and reads the baseline.</summary>
    public static async Task<(ReceiverProcess Receiver, ReceiverFootprint Baseline)> StartAsync(
        FaultOptions options, string work, string name, string clip, IEnumerable<string> receiverOptions, CancellationToken cancellationToken)
    {
        var receiver = await ReceiverProcess.StartAsync(options.Repository, work, name, receiverOptions, cancellationToken);
        await Console.Error.WriteLineAsync($"{name}: {receiver}");
        var warmUp = await new AirPlaySenderSession(SenderOptions(options, receiver, clip, seconds: 3, audio: true) with { Name = "Warm-up Phone" }).RunAsync(cancellationToken);
        if (!warmUp.Ok)
        {
            await Console.Error.WriteLineAsync($"{name}: the warm-up sender failed: {warmUp.Error}");
        }

        for (var i = 0; i < 30 && await ReceiverFootprint.ReadSessionsAsync(receiver, cancellationToken) > 0; i++)
        {
            await Task.Delay(500, cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var baseline = await ReceiverFootprint.ReadAsync(receiver, collect: true, cancellationToken);
        return (receiver, baseline);
    }

    /// <summary>A phone-like sender (boot clock) sending the cached clip in real time, with the AAC-ELD sweep when <paramref name="audio"/>.</summary>
    public static SenderOptions SenderOptions(FaultOptions options, ReceiverProcess receiver, string clip, double seconds, bool audio) => new()
    {
        Host = "127.0.0.1",
        Port = receiver.ControlPort,
        Video = VideoSourceSpec.ForFile(clip, 30),
        Seconds = seconds,
        Audio = audio,
        AudioFramesFile = Path.Combine(options.Vectors, "audio", AacEldFrames.AirPlayStandInFile),
        FairPlayFile = Path.Combine(options.Vectors, "fairplay.json"),
        Name = "Fault Phone",
    };
}
