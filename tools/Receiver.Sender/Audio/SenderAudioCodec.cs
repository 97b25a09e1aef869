namespace Receiver.Sender.Audio;

/// <summary>
/// An audio codec the simulator can send, with what its SETUP announces (<c>ct</c>, <c>spf</c>) and how many
/// copies of each packet real senders put on the wire (docs/PROTOCOL.md §8.1, §8.2).
/// </summary>
public sealed record SenderAudioCodec(string Name, int CompressionType, int SamplesPerFrame, int Redundancy)
{
    /// <summary>AAC-ELD, the mirroring codec: ct 8, 480 samples, each packet sent up to three times.</summary>
    public static SenderAudioCodec Eld { get; } = new("eld", 8, 480, 3);

    /// <summary>ALAC 44.1 kHz / 16 bit / stereo: ct 2, 352 samples, each packet sent once.</summary>
    public static SenderAudioCodec Alac { get; } = new("alac", 2, 352, 1);

    /// <summary>AAC-LC 44.1 kHz stereo: ct 4, 1024 samples.</summary>
    public static SenderAudioCodec Aac { get; } = new("aac", 4, 1024, 1);

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["eld", "alac", "aac"];

    /// <summary>The codec named <paramref name="name"/> (<c>eld</c>, <c>alac</c> or <c>aac</c>).</summary>
    public static SenderAudioCodec Parse(string name) => name.ToLowerInvariant() switch
    {
        "eld" => Eld,
        "alac" => Alac,
        "aac" => Aac,
        _ => throw new ArgumentException($"Unknown audio codec '{name}'; expected eld, alac or aac.", nameof(name)),
    };
}
