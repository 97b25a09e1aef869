namespace Receiver.Core.Audio;

/// <summary>
/// How the frames of a sender's audio stream are described to the transcoder: the Matroska codec id, its codec
/// private data and the samples each frame holds (docs/PROTOCOL.md §8.1).
/// </summary>
public sealed record AudioInputFormat(string Codec, string MatroskaCodecId, ReadOnlyMemory<byte> CodecPrivate, int SamplesPerFrame, int SampleRate = 44100, int Channels = 2)
{
    /// <summary>AAC-ELD 44.1 kHz stereo, 480 samples per frame (ct 8, mirroring).</summary>
    public static AudioInputFormat AacEld { get; } = new("aac-eld", "A_AAC", new byte[] { 0xF8, 0xE8, 0x50, 0x00 }, 480);

    /// <summary>AAC-LC 44.1 kHz stereo, 1024 samples per frame (ct 4).</summary>
    public static AudioInputFormat AacLc { get; } = new("aac", "A_AAC", new byte[] { 0x12, 0x10 }, 1024);

    /// <summary>
    /// ALAC 44.1 kHz / 16 bit / stereo, 352 samples per frame (ct 2). The codec private data is the
    /// ALACSpecificConfig (the 36-byte cookie without its 12-byte atom header).
    /// </summary>
    public static AudioInputFormat Alac { get; } = new(
        "alac",
        "A_ALAC",
        new byte[] { 0x00, 0x00, 0x01, 0x60, 0x00, 0x10, 0x28, 0x0A, 0x0E, 0x02, 0x00, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xAC, 0x44 },
        352);

    /// <summary>The input format for an AirPlay <c>ct</c> value, or null for one the receiver cannot play.</summary>
    public static AudioInputFormat? ForCompressionType(int compressionType, int samplesPerFrame)
    {
        var format = compressionType switch
        {
            2 => Alac,
            4 => AacLc,
            8 => AacEld,
            _ => null,
        };
        return format is not null && samplesPerFrame > 0 && samplesPerFrame != format.SamplesPerFrame
            ? format with { SamplesPerFrame = samplesPerFrame }
            : format;
    }
}
