namespace Receiver.Core.Media;

/// <summary>
/// The audio track as viewers receive it: AAC (<see cref="CodecString"/> <c>mp4a.40.2</c>) with its
/// AudioSpecificConfig, the sample rate (also the track's timescale) and channel count.
/// </summary>
public sealed record AudioFormat(string CodecString, int SampleRate, int Channels, int SamplesPerFrame, ReadOnlyMemory<byte> AudioSpecificConfig)
{
    /// <summary>AAC-LC, 44.1 kHz, stereo, 1024 samples per frame: what the receiver's transcoder produces.</summary>
    public static AudioFormat AacLc44100Stereo { get; } = new("mp4a.40.2", 44100, 2, 1024, new byte[] { 0x12, 0x10 });

    public bool Equals(AudioFormat? other) =>
        other is not null && CodecString == other.CodecString && SampleRate == other.SampleRate && Channels == other.Channels
        && SamplesPerFrame == other.SamplesPerFrame && AudioSpecificConfig.Span.SequenceEqual(other.AudioSpecificConfig.Span);

    public override int GetHashCode() => HashCode.Combine(CodecString, SampleRate, Channels, SamplesPerFrame);
}
