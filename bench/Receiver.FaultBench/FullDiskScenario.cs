using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Receiver.Core.Media;
using Receiver.Sender.Sessions;

namespace Receiver.FaultBench;

/// <summary>
/// Scenario 4: the recordings folder on a 2 MiB tmpfs (mounted for the run, root only) with automatic recording on; a
/// sender with sound streams a 1.5 Mbit/s clip for longer than the folder holds. Targets: the receiver lives, the
/// session streams to its end (the sender's every step succeeds and the session stays listed), and the leftovers.
/// What the recording did when the disk filled is reported from <c>GET /api/sessions/{id}/recording</c>: it must have
/// stopped with the reason <c>disk-full</c>. The free-space floor is set to 0 for this run, so the write itself meets the
/// full volume (with the default floor of 1 GiB the recording is refused at its start on so small a volume, which the
/// recording tests cover).
/// </summary>
public sealed class FullDiskScenario(FaultOptions options, string work, string cache)
{
    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        if (Environment.UserName != "root" && !IsRoot())
        {
            return ScenarioResult.Skipped("4. full disk", "mounting a tmpfs needs root");
        }

        var clip = await BenchClip.EnsureAsync(cache, 640, 360, 1500, 30, cancellationToken);
        var folder = Path.Combine(work, "small-disk");
        Directory.CreateDirectory(folder);
        if (await RunAsync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", folder], cancellationToken) is { } mountError)
        {
            return ScenarioResult.Skipped("4. full disk", "mount failed: " + mountError);
        }

        try
        {
            return await RunMountedAsync(clip, folder, cancellationToken);
        }
        finally
        {
            if (await RunAsync("umount", [folder], CancellationToken.None) is { } umountError)
            {
                await Console.Error.WriteLineAsync($"full-disk: umount {folder} failed: {umountError}");
            }
        }
    }

    private async Task<ScenarioResult> RunMountedAsync(string clip, string folder, CancellationToken cancellationToken)
    {
        string[] receiverOptions = [$"--Receiver:Recording:Directory={folder}", "--Receiver:Recording:Automatic=true", "--Receiver:Recording:MinFreeBytes=0"];
        var (receiver, baseline) = await Cycle.StartAsync(options, work, "full-disk", clip, receiverOptions, null, cancellationToken);
        await using (receiver)
        {
            // The warm-up sender was recorded too; the folder starts empty.
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                File.Delete(file);
            }

            var sending = new AirPlaySenderSession(Cycle.SenderOptions(options, receiver, clip, options.FullDiskSeconds, audio: true) with { Name = "Full Disk Phone" }).RunAsync(cancellationToken);
            var watch = Stopwatch.StartNew();
            string? sessionId = null;
            var listedUntil = 0.0;
            var fullAt = (double?)null;
            JsonElement? recording = null;
            while (!sending.IsCompleted)
            {
                await Task.Delay(500, cancellationToken);
                using var sessions = JsonDocument.Parse(await receiver.Http.GetStringAsync("/api/sessions", cancellationToken));
                var listed = sessions.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
                sessionId ??= listed.FirstOrDefault();
                if (sessionId is not null && listed.Contains(sessionId))
                {
                    listedUntil = watch.Elapsed.TotalSeconds;
                    using var response = await receiver.Http.GetAsync($"/api/sessions/{sessionId}/recording", cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        recording = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
                    }
                }

                var drive = new DriveInfo(folder);
                if (fullAt is null && drive.AvailableFreeSpace < 64 * 1024)
                {
                    fullAt = watch.Elapsed.TotalSeconds;
                }
            }

            var sender = await sending;
            var openInFolder = OpenFilesUnder(receiver.Pid, folder);
            var after = await Leftovers.SettleAsync(receiver, baseline, options, cancellationToken);
            var openAfter = OpenFilesUnder(receiver.Pid, folder);
            var severe = receiver.SevereLogLines();
            var used = new DriveInfo(folder) is var d ? d.TotalSize - d.AvailableFreeSpace : 0;
            List<TargetCheck> checks =
            [
                new("receiver alive", !receiver.HasExited, receiver.HasExited ? $"exited with {receiver.ExitCode}" : "running"),
                new("disk filled", fullAt is not null, fullAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"full after {at:F1} s") : $"{used:N0} bytes used"),
                new("session streamed to its end", sender.Ok && listedUntil >= sender.DurationSeconds - 2,
                    string.Create(CultureInfo.InvariantCulture, $"sender {(sender.Ok ? "ok" : sender.Error)}, {sender.FramesSent} frames, {sender.AudioPacketsSent} audio packets; session listed until {listedUntil:F1} s of {sender.DurationSeconds:F1} s")),
                new("recording stopped: disk-full", recording is { } stopped && Field(stopped, "reason") == "disk-full" && Field(stopped, "active") == "False",
                    recording is { } last ? Describe(last) : "no recording reported"),
                new("recording files closed", openAfter == 0, $"{openInFolder} open when the sender left, {openAfter} after settling"),
                .. Leftovers.Check(baseline, after, options),
            ];
            List<string> notes =
            [
                "recording at the end: " + (recording is { } r ? Describe(r) : "none reported"),
                string.Create(CultureInfo.InvariantCulture, $"folder: {used:N0} of 2 MiB used, files: {string.Join(", ", Directory.EnumerateFiles(folder).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length:N0} B"))}"),
                $"descriptors beyond the baseline: {Leftovers.DescriptorGrowth(receiver)}",
                $"{severe.Count} error lines in the receiver's log" + (severe.Count > 0 ? ": " + severe[0] : string.Empty),
            ];
            var done = string.Create(CultureInfo.InvariantCulture, $"automatic recording into a 2 MiB tmpfs; one sender with sound, 1.5 Mbit/s for {options.FullDiskSeconds} s");
            return new ScenarioResult("4. full disk", done, baseline, after, checks, notes);
        }
    }

    private static string Field(JsonElement recording, string name) => recording.TryGetProperty(name, out var value) ? value.ToString() : "?";

    private static string Describe(JsonElement recording) =>
        $"active {Field(recording, "active")}, reason {Field(recording, "reason")}, {Field(recording, "bytes")} bytes, {Field(recording, "videoFrames")} frames, error: {Field(recording, "error")}";

    private static int OpenFilesUnder(int pid, string folder)
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(folder, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
            }
        }

        return count;
    }

    private static bool IsRoot() => File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, "0", ..];

    /// <summary>Runs a system tool; null on success, its error output otherwise.</summary>
    private static async Task<string?> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var path = FfmpegProcess.Locate(tool) ?? $"/usr/bin/{tool}";
        var result = await FfmpegProcess.RunToCompletionAsync(path, arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(30), TimeProvider.System, cancellationToken);
        return result.ExitCode == 0 ? null : $"exit {result.ExitCode}: {result.Error}";
    }
}
