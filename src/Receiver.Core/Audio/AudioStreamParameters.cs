namespace Receiver.Core.Audio;

/// <summary>What the sender announced for a type-96 audio stream, and the keys to decrypt it.</summary>
public sealed record AudioStreamParameters(int CompressionType, int SamplesPerFrame, int SenderControlPort, ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Iv)
{
    public string Codec => CodecName(CompressionType);

    /// <summary>The codec name for an AirPlay <c>ct</c> value.</summary>
    public static string CodecName(int compressionType) => compressionType switch
    {
        1 => "pcm",
        2 => "alac",
        4 => "aac",
        8 => "aac-eld",
        _ => $"ct{compressionType}",
    };
}
