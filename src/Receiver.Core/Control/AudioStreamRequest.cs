using Receiver.Core.Plist;

namespace Receiver.Core.Control;

/// <summary>
/// A type-96 audio stream: compression type (<c>ct</c>, 8 = AAC-ELD when absent), samples per frame (<c>spf</c>,
/// 480 when absent) and the sender's UDP control port (<c>controlPort</c>, 0 = no resend requests).
/// Values that are not integers are taken as absent.
/// </summary>
public sealed record AudioStreamRequest(int CompressionType, int SamplesPerFrame, int SenderControlPort) : SetupStreamRequest(AudioType)
{
    /// <summary>Compression type when <c>ct</c> is absent: AAC-ELD, what mirroring senders use.</summary>
    public const int DefaultCompressionType = 8;

    /// <summary>Samples per frame when <c>spf</c> is absent.</summary>
    public const int DefaultSamplesPerFrame = 480;

    /// <summary>Reads a type-96 entry.</summary>
    public static new AudioStreamRequest Parse(PlistDict stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new AudioStreamRequest(
            OptionalInt32(stream, "ct", DefaultCompressionType),
            OptionalInt32(stream, "spf", DefaultSamplesPerFrame),
            OptionalInt32(stream, "controlPort", 0));
    }

    private static int OptionalInt32(PlistDict stream, string key, int fallback) =>
        stream.TryGetValue(key, out var value) && value is PlistInteger integer ? (int)integer.AsInt64() : fallback;
}
