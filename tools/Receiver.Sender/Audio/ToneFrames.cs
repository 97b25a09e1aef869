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

    /// <summary>How long each beep sounds when the tone beeps.</summary>
    public const int BeepMilliseconds = 50;

    /// <summary>Beeps in one loop of the tone: ALAC's 3.52 s loop holds 4 (every 0.88 s), AAC-LC's 10.24 s loop 12 (every 0.853 s).</summary>
    public static int BeepsPerLoop(SenderAudioCodec codec) => (int)Math.Max(1, Math.Round(441.0 * codec.SamplesPerFrame / SampleRate / 0.9));

    /// <summary>
    /// Frames of <paramref name="codec"/> (ALAC or AAC-LC) holding the tone; with <paramref name="beeps"/> the tone
    /// sounds for <see cref="BeepMilliseconds"/> at the start of each of <see cref="BeepsPerLoop"/> equal periods and
    /// is silent in between, so the moment a beep is heard can be matched to the moment it was sent.
    /// </summary>
    public static IReadOnlyList<byte[]> Create(SenderAudioCodec codec, string ffmpegPath = "ffmpeg", bool beeps = false)
    {
        ArgumentNullException.ThrowIfNull(codec);

        // 441 frames of any length is a whole number of 441-sample tone periods.
        var samples = 441L * codec.SamplesPerFrame;
        var duration = (samples / (double)SampleRate).ToString("F6", System.Globalization.CultureInfo.InvariantCulture);
        var period = (samples / (double)BeepsPerLoop(codec)).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
        var beepSamples = (SampleRate * BeepMilliseconds / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var input = beeps
            ? $"aevalsrc=exprs='if(lt(mod(n,{period}),{beepSamples}),0.5*sin(2*PI*{FrequencyHz}*t),0)':sample_rate={SampleRate}:duration={duration}"
            : $"sine=frequency={FrequencyHz}:sample_rate={SampleRate}:duration={duration}";
        string[] source = ["-f", "lavfi", "-i", input, "-ac", Channels.ToString(System.Globalization.CultureInfo.InvariantCulture)];
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
