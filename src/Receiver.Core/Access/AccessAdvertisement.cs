namespace Receiver.Core.Access;

/// <summary>
/// What discovery must advertise for an <see cref="AccessMode"/> (docs/PROTOCOL.md §1.2–1.4 and §3.5): <c>pw</c>, <c>sf</c> and
/// features bit 27 ("legacy pairing", which makes senders run pair-setup and pair-verify).
/// </summary>
public static class AccessAdvertisement
{
    /// <summary>Features bit 27: senders pair (pair-setup with the PIN, then pair-verify).</summary>
    public const ulong LegacyPairingBit = 1UL << 27;

    /// <summary>TXT <c>pw</c>: true when the sender must type something (a PIN or the password).</summary>
    public static bool PasswordRequired(AccessMode mode) => mode is AccessMode.Pin or AccessMode.Password;

    /// <summary>TXT <c>sf</c> of <c>_raop._tcp</c>: 0x8c with a PIN, 0x84 with a password, else 0x4.</summary>
    public static int StatusFlags(AccessMode mode) => mode switch
    {
        AccessMode.Pin => 0x8c,
        AccessMode.Password => 0x84,
        _ => 0x4,
    };

    /// <summary><paramref name="features"/> with bit 27 set in PIN mode (left as configured otherwise).</summary>
    public static ulong Features(ulong features, AccessMode mode) => mode == AccessMode.Pin ? features | LegacyPairingBit : features;
}
