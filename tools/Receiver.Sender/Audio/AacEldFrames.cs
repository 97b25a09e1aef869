using System.Buffers.Binary;

namespace Receiver.Sender.Audio;

/// <summary>
/// Raw AAC-ELD access units from a <c>.frames</c> file: records of a big-endian uint32 length followed by that many bytes.
/// </summary>
public static class AacEldFrames
{
    /// <summary>The recorded stereo 480-sample ELD stream that stands in for AirPlay's 44.1 kHz config <c>f8e85000</c>.</summary>
    public const string AirPlayStandInFile = "sinesweep_2ch_48khz_aot39_fl480_mp4.frames";

    public static IReadOnlyList<byte[]> Parse(ReadOnlySpan<byte> data)
    {
        var frames = new List<byte[]>();
        while (!data.IsEmpty)
        {
            if (data.Length < 4)
            {
                throw new FormatException("Truncated frame length at the end of the frames file.");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data);
            if (length == 0 || length > data.Length - 4)
            {
                throw new FormatException($"Frame length {length} does not fit the remaining {data.Length - 4} bytes.");
            }

            frames.Add(data.Slice(4, (int)length).ToArray());
            data = data[(4 + (int)length)..];
        }

        return frames;
    }

    public static IReadOnlyList<byte[]> Load(string path) => Parse(File.ReadAllBytes(path));
}
