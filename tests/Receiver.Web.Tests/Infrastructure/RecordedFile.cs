using System.Globalization;
using System.Text.Json;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>What ffprobe reads in a recorded MP4: each stream's start and duration, and every packet's decode time.</summary>
public sealed record RecordedFile(string Path, IReadOnlyList<RecordedStream> Streams)
{
    public RecordedStream Video => Streams.Single(s => s.Type == "video");

    public RecordedStream Audio => Streams.Single(s => s.Type == "audio");

    public static async Task<RecordedFile> ProbeAsync(string path)
    {
        var (code, text) = await ExternalTools.RunFfmpegAsync("ffprobe", ["-v", "error", "-show_streams", "-show_packets", "-show_entries", "packet=stream_index,dts_time,duration_time:stream=index,codec_type,codec_name,start_time,duration,nb_frames", "-of", "json", path]);
        if (code != 0)
        {
            throw new InvalidOperationException($"ffprobe failed on {path}: {text}");
        }

        var root = JsonDocument.Parse(text).RootElement;
        var packets = root.GetProperty("packets").EnumerateArray().ToList();
        var streams = new List<RecordedStream>();
        foreach (var stream in root.GetProperty("streams").EnumerateArray())
        {
            var index = stream.GetProperty("index").GetInt32();
            var dts = packets.Where(p => p.GetProperty("stream_index").GetInt32() == index && p.TryGetProperty("dts_time", out _))
                .Select(p => Number(p, "dts_time")).ToList();
            streams.Add(new RecordedStream(
                stream.GetProperty("codec_type").GetString()!,
                stream.GetProperty("codec_name").GetString()!,
                Number(stream, "start_time"),
                stream.TryGetProperty("duration", out _) ? Number(stream, "duration") : double.NaN,
                dts));
        }

        return new RecordedFile(path, streams);
    }

    /// <summary>ffprobe's summary of each stream, as a person would read it.</summary>
    public string Describe() => string.Join("; ", Streams.Select(s =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Type} {s.Codec} start {s.Start:F3} s duration {s.Duration:F3} s, {s.DecodeTimes.Count} packets")));

    private static double Number(JsonElement element, string property) =>
        double.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);
}

/// <summary>One stream of a <see cref="RecordedFile"/>.</summary>
public sealed record RecordedStream(string Type, string Codec, double Start, double Duration, IReadOnlyList<double> DecodeTimes)
{
    /// <summary>Indexes of packets whose decode time is not after the one before.</summary>
    public IReadOnlyList<int> DecodeTimesNotIncreasing =>
        [.. Enumerable.Range(1, Math.Max(0, DecodeTimes.Count - 1)).Where(i => DecodeTimes[i] <= DecodeTimes[i - 1])];
}
