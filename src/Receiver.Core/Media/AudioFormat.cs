namespace Receiver.Core.Media;

/// <summary>
/// The audio track as viewers receive it: AAC (<see cref="CodecString"/> <c>mp4a.40.2</c>) with its
/// AudioSpecificConfig, or interleaved 16-bit PCM (<c>pcm-s16</c>, no configuration) for low-delay players; the
/// sample rate (also the track's timescale), channel count and samples per frame.
/// </summary>
public sealed record AudioFormat(string CodecString, int SampleRate, int Channels, int SamplesPerFrame, ReadOnlyMemory<byte> AudioSpecificConfig)
{
    /// <summary>AAC-LC, 44.1 kHz, stereo, 1024 samples per frame: what the receiver's transcoder produces.</summary>
    public static AudioFormat AacLc44100Stereo { get; } = new("mp4a.40.2", 44100, 2, 1024, new byte[] { 0x12, 0x10 });

    /// <summary>The WebCodecs codec string of interleaved signed 16-bit PCM.</summary>
    public const string Pcm16CodecString = "pcm-s16";

    /// <summary>True for PCM, which needs no decoder.</summary>
    public bool IsPcm => CodecString == Pcm16CodecString;

    /// <summary>Interleaved signed 16-bit little-endian PCM in frames of <paramref name="samplesPerFrame"/> samples per channel.</summary>
    public static AudioFormat Pcm16(int sampleRate, int channels, int samplesPerFrame) =>
        new(Pcm16CodecString, sampleRate, channels, samplesPerFrame, ReadOnlyMemory<byte>.Empty);

    public bool Equals(AudioFormat? other) =>
        other is not null && CodecString == other.CodecString && SampleRate == other.SampleRate && Channels == other.Channels
        && SamplesPerFrame == other.SamplesPerFrame && AudioSpecificConfig.Span.SequenceEqual(other.AudioSpecificConfig.Span);

    public override int GetHashCode() => HashCode.Combine(CodecString, SampleRate, Channels, SamplesPerFrame);
}
