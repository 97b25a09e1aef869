using System.Globalization;

namespace Receiver.Core.Discovery;

/// <summary>What the receiver advertises over DNS-SD (docs/PROTOCOL.md §1).</summary>
/// <param name="Name">Receiver name shown to senders; the <c>_airplay._tcp</c> instance name.</param>
/// <param name="DeviceId">MAC-style identity, <c>aa:bb:cc:dd:ee:ff</c>.</param>
/// <param name="Features">64-bit AirPlay features bitmask (docs/PROTOCOL.md §1.4).</param>
/// <param name="PublicKey">32-byte Ed25519 public key published as <c>pk</c>.</param>
/// <param name="ControlPort">Main control TCP port, advertised by both services.</param>
/// <param name="Model">Model published as <c>model</c> / <c>am</c>.</param>
/// <param name="SourceVersion">Version published as <c>srcvers</c> / <c>vs</c>.</param>
/// <param name="PasswordRequired">A password is required (<c>pw=true</c>, <c>sf=0x84</c>).</param>
/// <param name="PinRequired">An on-screen PIN is required (<c>pw=true</c>, <c>sf=0x8c</c>).</param>
public sealed record AirPlayServiceInfo(
    string Name,
    string DeviceId,
    ulong Features,
    ReadOnlyMemory<byte> PublicKey,
    int ControlPort,
    string Model = "AppleTV3,2",
    string SourceVersion = "220.68",
    bool PasswordRequired = false,
    bool PinRequired = false)
{
    /// <summary>Features of a receiver without PIN or password: bit 27 (legacy pairing) off, no H.265.</summary>
    public const ulong DefaultFeatures = AirPlayFeatures.Default;

    /// <summary>Bit 27: the sender runs pair-setup / pair-verify.</summary>
    public const ulong LegacyPairingFeature = 1UL << 27;

    /// <summary>Bit 42: screen multi-codec (H.265 mirroring).</summary>
    public const ulong ScreenMultiCodecFeature = 1UL << 42;

    /// <summary>The server name without a trailing <c>.local</c> part (everything from <c>.local</c> on is dropped).</summary>
    public string InstanceName
    {
        get
        {
            var index = Name.IndexOf(".local", StringComparison.OrdinalIgnoreCase);
            return index > 0 ? Name[..index] : Name;
        }
    }

    /// <summary>The device id as 12 upper-case hex digits without separators.</summary>
    public string DeviceIdHex => DeviceId.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>The <c>_raop._tcp</c> instance name, <c>&lt;DEVICEID&gt;@&lt;name&gt;</c>.</summary>
    public string RaopInstanceName => DeviceIdHex + "@" + InstanceName;

    /// <summary>True when <see cref="DeviceId"/> is six two-digit hex groups separated by colons.</summary>
    public bool HasValidDeviceId
    {
        get
        {
            var parts = DeviceId.Split(':');
            return parts.Length == 6 && parts.All(p => p.Length == 2 && byte.TryParse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _));
        }
    }
}
