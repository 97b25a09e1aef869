using Receiver.Sender.Audio;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;

namespace Receiver.FaultBench;

/// <summary>What every scenario does around its harm: a receiver of its own, a warm-up sender, the baseline, and the simulated senders' options.</summary>
public static class Cycle
{
    /// <summary>
    /// Starts a receiver, runs one complete sender with sound through it and then <paramref name="warmUp"/> (the
    /// scenario's own harm at a small scale), lets it settle and reads the baseline. What the receiver loads or pools
    /// once (code, caches, buffer pools, the sender register) is then in the baseline, and what the full scenario
    /// leaves beyond it grows with the harm: a leak.
    /// </summary>
    public static async Task<(ReceiverProcess Receiver, ReceiverFootprint Baseline)> StartAsync(
        FaultOptions options, string work, string name, string clip, IEnumerable<string> receiverOptions, Func<ReceiverProcess, Task>? warmUp, CancellationToken cancellationToken)
    {
        var receiver = await ReceiverProcess.StartAsync(options.Repository, work, name, receiverOptions, cancellationToken);
        await Console.Error.WriteLineAsync($"{name}: {receiver}");
        var first = await new AirPlaySenderSession(SenderOptions(options, receiver, clip, seconds: 3, audio: true) with { Name = "Warm-up Phone" }).RunAsync(cancellationToken);
        if (!first.Ok)
        {
            await Console.Error.WriteLineAsync($"{name}: the warm-up sender failed: {first.Error}");
        }

        if (warmUp is not null)
        {
            await warmUp(receiver);
        }

        // Settled: no session, no ffmpeg, and the file descriptors steady for three seconds in a row.
        var steady = 0;
        var last = -1;
        for (var i = 0; i < 120 && steady < 3; i++)
        {
            await Task.Delay(1000, cancellationToken);
            var now = await ReceiverFootprint.ReadAsync(receiver, collect: false, cancellationToken);
            steady = now.Sessions == 0 && now.FfmpegChildren == 0 && now.FileDescriptors == last ? steady + 1 : 0;
            last = now.FileDescriptors;
        }

        var baseline = await ReceiverFootprint.ReadAsync(receiver, collect: true, cancellationToken);
        Leftovers.RememberDescriptors(receiver);
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
