namespace Receiver.Core.Discovery;

/// <summary>
/// The AirPlay <c>features</c> bits this receiver advertises (TXT <c>features</c> / <c>ft</c>, <c>/info</c>
/// <c>features</c>), one constant per bit, named as pyatv and the openairplay notes name them. Only capabilities the
/// receiver has are in <see cref="Default"/>; docs/FEATURES.md lists every bit with the code behind it, and a test
/// pins <see cref="Default"/> to that table.
/// </summary>
public static class AirPlayFeatures
{
    /// <summary>Bit 6: named by no public source; part of the set every mirroring receiver advertises (UxPlay, RPiPlay).</summary>
    public const ulong Bit6 = 1UL << 6;

    /// <summary>Bit 7, SupportsAirPlayScreen: screen mirroring (the RTSP flow and the mirror stream).</summary>
    public const ulong Screen = 1UL << 7;

    /// <summary>Bit 9, SupportsAirPlayAudio: the type-96 audio stream.</summary>
    public const ulong Audio = 1UL << 9;

    /// <summary>Bit 10: named by no public source; part of the set every mirroring receiver advertises.</summary>
    public const ulong Bit10 = 1UL << 10;

    /// <summary>Bit 11, AudioRedundant: redundant audio packets (duplicates are dropped by the jitter buffer).</summary>
    public const ulong AudioRedundant = 1UL << 11;

    /// <summary>Bit 12, FPSAPv2pt5_AES_GCM in the openairplay notes: part of the FairPlay set senders mirror with.</summary>
    public const ulong FairPlaySapV25 = 1UL << 12;

    /// <summary>Bit 14, Authentication_4: FairPlay authentication (<c>POST /fp-setup</c>, the <c>ekey</c>).</summary>
    public const ulong FairPlayAuthentication = 1UL << 14;

    /// <summary>Bit 19, AudioFormats_1: ALAC (<c>ct</c> 2).</summary>
    public const ulong AudioFormatAlac = 1UL << 19;

    /// <summary>Bit 20, AudioFormats_2: AAC-LC (<c>ct</c> 4).</summary>
    public const ulong AudioFormatAac = 1UL << 20;

    /// <summary>Bit 21, AudioFormats_3: AAC-ELD (<c>ct</c> 8), the sound of screen mirroring.</summary>
    public const ulong AudioFormatAacEld = 1UL << 21;

    /// <summary>Bit 22: named by no public source (UxPlay: "FairPlay auth"); part of the FairPlay set senders mirror with.</summary>
    public const ulong Bit22 = 1UL << 22;

    /// <summary>Bit 25: named by no public source; part of the set every mirroring receiver advertises.</summary>
    public const ulong Bit25 = 1UL << 25;

    /// <summary>Bit 27, SupportsLegacyPairing: senders run pair-setup and pair-verify (only with pairing or a PIN).</summary>
    public const ulong LegacyPairing = 1UL << 27;

    /// <summary>Bit 28: named by no public source; part of the set every mirroring receiver advertises.</summary>
    public const ulong Bit28 = 1UL << 28;

    /// <summary>Bit 30, HasUnifiedAdvertiserInfo: one control port serves both services (<c>_airplay</c> and <c>_raop</c>).</summary>
    public const ulong UnifiedAdvertiserInfo = 1UL << 30;

    /// <summary>Bit 42, SupportsScreenMultiCodec: H.265 mirroring (only with <c>EnableH265</c>).</summary>
    public const ulong ScreenMultiCodec = 1UL << 42;

    /// <summary>
    /// What a receiver without pairing, PIN or H.265 advertises: 0x52785EC0. UxPlay's 0x527FFEE6 without the bits of
    /// what this receiver does not do: photo (1), FairPlay-protected video (2, refused), slideshow (5), photo
    /// caching (13), metadata artwork, progress and now-playing (15–17) and PCM audio (18).
    /// </summary>
    public const ulong Default = Bit6 | Screen | Audio | Bit10 | AudioRedundant | FairPlaySapV25 | FairPlayAuthentication
        | AudioFormatAlac | AudioFormatAac | AudioFormatAacEld | Bit22 | Bit25 | Bit28 | UnifiedAdvertiserInfo;

    /// <summary>The bits of <paramref name="features"/>, lowest first.</summary>
    public static IEnumerable<int> Bits(ulong features)
    {
        for (var bit = 0; bit < 64; bit++)
        {
            if ((features & (1UL << bit)) != 0)
            {
                yield return bit;
            }
        }
    }
}
