namespace Receiver.Core.Audio;

/// <summary>
/// One frame out of the <see cref="AudioTranscoder"/>: a raw AAC-LC frame or a frame of interleaved 16-bit PCM, and
/// the input sample its first sample stands for (samples counted from the stream's first input frame; negative for
/// the AAC encoder's priming). The array belongs to the reader.
/// </summary>
public readonly record struct TranscodedAudioFrame(byte[] Data, long StartSample);
