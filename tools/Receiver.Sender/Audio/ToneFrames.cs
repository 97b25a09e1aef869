using Receiver.Core.Audio;
using Receiver.Core.Media;

namespace Receiver.Sender.Audio;

/// <summary>
/// A 1 kHz stereo test tone at 44.1 kHz made by ffmpeg, cut into the frames an ALAC or AAC-LC sender sends. The tone
/// lasts a whole number of frames and of 10 ms periods (441 samples), so looping it stays seamless.
/// ALAC frames are written uncompressed (<see cref="AlacVerbatimFrame"/>) from ffmpeg's PCM, because ffmpeg's ALAC
/// encoder always uses 4096-sample frames; AAC-LC frames are ffmpeg's ADTS output without the ADTS headers.
/// </summary>
public static class ToneFrames
{
    public const int FrequencyHz = 1000;
    public const int SampleRate = 44100;
    public const int Channels = 2;

    /// <summary>Making a few seconds of tone takes well under a second; this only stops a hung ffmpeg.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Frames of <paramref name="codec"/> (ALAC or AAC-LC) holding the tone.</summary>
    public static IReadOnlyList<byte[]> Create(SenderAudioCodec codec, string ffmpegPath = "ffmpeg")
    {
        ArgumentNullException.ThrowIfNull(codec);

        // 441 frames of any length is a whole number of 441-sample tone periods.
        var samples = 441L * codec.SamplesPerFrame;
        var duration = (samples / (double)SampleRate).ToString("F6", System.Globalization.CultureInfo.InvariantCulture);
        string[] source = ["-f", "lavfi", "-i", $"sine=frequency={FrequencyHz}:sample_rate={SampleRate}:duration={duration}", "-ac", Channels.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (codec.CompressionType == SenderAudioCodec.Alac.CompressionType)
        {
            var pcm = Run(ffmpegPath, [.. source, "-f", "s16le", "-"]);
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(pcm.AsSpan(0, pcm.Length - (pcm.Length % 2)));
            var stride = codec.SamplesPerFrame * Channels;
            var frames = new List<byte[]>();
            for (var offset = 0; offset + stride <= values.Length; offset += stride)
            {
                frames.Add(AlacVerbatimFrame.Write(values.Slice(offset, stride), Channels, codec.SamplesPerFrame));
            }

            return frames;
        }

        if (codec.CompressionType == SenderAudioCodec.Aac.CompressionType)
        {
            var reader = new AdtsFrameReader();
            reader.Append(Run(ffmpegPath, [.. source, "-c:a", "aac", "-b:a", "128k", "-f", "adts", "-"]));
            var frames = new List<byte[]>();
            while (reader.TryRead(out var frame))
            {
                frames.Add(frame);
            }

            return frames;
        }

        throw new ArgumentException($"No tone frames for audio codec '{codec.Name}'.", nameof(codec));
    }

    private static byte[] Run(string ffmpegPath, string[] arguments)
    {
        var result = FfmpegProcess.RunToCompletionAsync(ffmpegPath, ["-hide_banner", "-loglevel", "error", "-nostdin", .. arguments],
            ReadOnlyMemory<byte>.Empty, RunTimeout, TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
        if (result.ExitCode != 0 || result.Output.Length == 0)
        {
            throw new InvalidOperationException($"ffmpeg failed ({result.ExitCode}): {result.Error.Trim()}");
        }

        return result.Output;
    }
}
