using System.Buffers.Binary;

namespace Receiver.Core.Tests.Audio;

/// <summary>The AAC-ELD sample streams of the shared vectors (see vectors/audio/README.md).</summary>
internal static class AudioVectors
{
    /// <summary>Stereo 480-sample ELD; with the ASC <c>f8e85000</c> it stands in for AirPlay's stream.</summary>
    public const string StandIn = "sinesweep_2ch_48khz_aot39_fl480_mp4";

    /// <summary>FFmpeg's decode of all 277 frames (s16le), from the README.</summary>
    public const string StandInFullDecodeMd5 = "4dfe4d5d53aee8ebb667ccd05ed129b3";

    public static string Path(string name) => System.IO.Path.Combine(TestPaths.Vectors, "audio", name);

    public static IReadOnlyList<byte[]> LoadFrames(string name = StandIn)
    {
        var data = File.ReadAllBytes(Path(name + ".frames"));
        var frames = new List<byte[]>();
        for (var offset = 0; offset < data.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset));
            frames.Add(data.AsSpan(offset + 4, length).ToArray());
            offset += 4 + length;
        }

        return frames;
    }
}
