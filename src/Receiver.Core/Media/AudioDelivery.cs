namespace Receiver.Core.Media;

/// <summary>Which form of a session's sound a <see cref="MediaViewer"/> receives.</summary>
public enum AudioDelivery
{
    /// <summary>AAC-LC frames as movie fragments of track 2 (MSE players, recordings).</summary>
    Aac,

    /// <summary>
    /// Interleaved 16-bit PCM frames of the sender's frame size (<see cref="MediaMessage.AudioSamples"/>), no encoder
    /// delay (WebCodecs players); AAC when the session has no PCM.
    /// </summary>
    Pcm,
}
