using Receiver.Core.Media;
using Receiver.Tests;
using Xunit.Sdk;

namespace Receiver.Core.Tests.Mirroring;

/// <summary>Runs the ffmpeg found on PATH (tests that need it are skipped when it is missing).</summary>
internal static class Ffmpeg
{
    private static readonly Lazy<string?> Executable = new(() => FfmpegProcess.Locate("ffmpeg"));

    public static bool IsAvailable => Executable.Value is not null;

    public static (int ExitCode, string StandardOutput, string StandardError) Run(params string[] arguments)
    {
        var result = FfmpegPipe.RunTool(Executable.Value ?? throw new InvalidOperationException("ffmpeg is not on PATH"), ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(60), arguments);
        return (result.ExitCode, result.OutputText, result.Error);
    }

    /// <summary>Splits an Annex-B byte stream into NAL units (3- or 4-byte start codes).</summary>
    public static List<byte[]> SplitAnnexB(byte[] stream)
    {
        var starts = new List<(int CodeStart, int NalStart)>();
        for (var i = 0; i + 2 < stream.Length; i++)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
            {
                var codeStart = i > 0 && stream[i - 1] == 0 ? i - 1 : i;
                starts.Add((codeStart, i + 3));
                i += 2;
            }
        }

        var units = new List<byte[]>();
        for (var n = 0; n < starts.Count; n++)
        {
            var end = n + 1 < starts.Count ? starts[n + 1].CodeStart : stream.Length;
            units.Add(stream[starts[n].NalStart..end]);
        }

        return units;
    }
}

/// <summary>A fact that is skipped, with the reason, when ffmpeg is not on PATH.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Core.Tests")]
internal sealed class FfmpegFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    public FfmpegFactAttribute()
    {
        if (!Ffmpeg.IsAvailable)
        {
            Skip = "ffmpeg is not on PATH; the decode check needs it";
        }
    }
}
