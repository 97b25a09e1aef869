using Receiver.Core.Casting;

namespace Receiver.Core.Sessions;

/// <summary>What a session needs to know about the receiver: identity, advertised capabilities, bound ports, limits.</summary>
public sealed record ReceiverSettings
{
    /// <summary>Features bit 27: the sender runs pair-setup and pair-verify.</summary>
    public const ulong LegacyPairingFeature = 1UL << 27;

    /// <summary>Features bit 42: the sender may mirror in H.265.</summary>
    public const ulong ScreenMultiCodecFeature = 1UL << 42;

    /// <summary>Features bit 0: the receiver plays a video URL the sender hands over (<c>POST /play</c>).</summary>
    public const ulong VideoFeature = 1UL << 0;

    /// <summary>Features bit 4: the video handed over may be an HLS playlist (<c>VideoHTTPLiveStreams</c>), YouTube's included.</summary>
    public const ulong VideoHlsFeature = 1UL << 4;

    /// <summary>What a receiver without pairing, PIN or H.265 advertises (docs/FEATURES.md).</summary>
    public const ulong DefaultFeatures = Discovery.AirPlayFeatures.Default;

    public required string Name { get; init; }

    /// <summary>MAC-like device id, lowercase with colons.</summary>
    public required string DeviceId { get; init; }

    public required ReadOnlyMemory<byte> PublicKey { get; init; }

    public ulong Features { get; init; } = DefaultFeatures;

    public string Model { get; init; } = "AppleTV3,2";

    public string SourceVersion { get; init; } = "220.68";

    public string PairingIdentityUuid { get; init; } = "2e388006-13ba-4041-9a67-25dd4a43d536";

    public DisplaySettings Display { get; init; } = new();

    /// <summary>Initial volume in dB (−30…0, −144 = mute).</summary>
    public double InitialVolume { get; init; }

    /// <summary>The mirror data port returned as <c>dataPort</c> for stream type 110.</summary>
    public int MirrorPort { get; init; }

    public int ControlPort { get; init; }

    /// <summary>Largest mirror packet payload accepted.</summary>
    public int MaxMirrorPayloadBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Folder where each session's decrypted video is written as Annex-B; null = off.</summary>
    public string? DumpVideoDirectory { get; init; }

    /// <summary>Audio latency reported in RECORD's <c>Audio-Latency</c>, in samples at 44.1 kHz.</summary>
    public int AudioLatencySamples { get; init; } = 11025;

    /// <summary>Senders must pair with the PIN shown on the receiver's screen (TXT <c>pw=true</c>, <c>sf=0x8c</c>).</summary>
    public bool PinRequired { get; init; }

    /// <summary>Senders must answer a password challenge on SETUP (TXT <c>pw=true</c>, <c>sf=0x84</c>).</summary>
    public bool PasswordRequired { get; init; }

    /// <summary>Which video addresses a cast may name.</summary>
    public CastUrlPolicy CastUrls { get; init; } = new();

    /// <summary>How long a cast waits for its first viewer page before it fails (<c>no viewer page opened within N s</c>).</summary>
    public TimeSpan CastNoViewerTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Video casting is offered (features bit 0) and its requests are answered.</summary>
    public bool CastEnabled => (Features & VideoFeature) != 0;

    public bool PairingRequired => (Features & LegacyPairingFeature) != 0;

    public bool H265Enabled => (Features & ScreenMultiCodecFeature) != 0;
}
