using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Receiver.Core.Pairing;

/// <summary>
/// The receiver's stable identity: its device id (the MAC-like <c>deviceid</c> of discovery and <c>/info</c>)
/// and its long-term Ed25519 key pair. Both are created at first start and reused afterwards, so senders
/// keep recognising the receiver across restarts.
/// </summary>
public sealed class ReceiverIdentity : IDisposable
{
    /// <summary>Name of the file that holds the device id inside the data directory.</summary>
    public const string DeviceIdFileName = "device-id";

    /// <summary>Creates an identity from its parts (tests, simulator).</summary>
    public ReceiverIdentity(string deviceId, PairingIdentity keys)
    {
        if (!IsValidDeviceId(deviceId))
        {
            throw new ArgumentException("The device id must look like aa:bb:cc:dd:ee:ff (lowercase hex).", nameof(deviceId));
        }

        DeviceId = deviceId;
        Keys = keys ?? throw new ArgumentNullException(nameof(keys));
    }

    /// <summary>The device id, lowercase hex with colons, e.g. <c>0a:1b:2c:3d:4e:5f</c>.</summary>
    public string DeviceId { get; }

    /// <summary>The long-term Ed25519 key pair.</summary>
    public PairingIdentity Keys { get; }

    /// <summary>Loads or creates both the device id and the key pair in <paramref name="dataDirectory"/>.</summary>
    public static ReceiverIdentity LoadOrCreate(string dataDirectory)
    {
        var deviceId = LoadOrCreateDeviceId(dataDirectory);
        return new ReceiverIdentity(deviceId, PairingIdentity.LoadOrCreate(dataDirectory));
    }

    /// <summary>
    /// Loads the device id from <c>device-id</c> in <paramref name="dataDirectory"/>, or creates a random one:
    /// six random bytes with the locally-administered bit set and the multicast bit cleared.
    /// </summary>
    public static string LoadOrCreateDeviceId(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var path = Path.Combine(dataDirectory, DeviceIdFileName);
        var text = Encoding.ASCII.GetString(DataFile.ReadOrCreate(path, () => Encoding.ASCII.GetBytes(CreateRandomDeviceId() + "\n"))).Trim();
        if (!IsValidDeviceId(text))
        {
            throw new InvalidDataException($"{path} does not hold a device id of the form aa:bb:cc:dd:ee:ff.");
        }

        return text;
    }

    /// <summary>Creates a random locally administered unicast MAC-style id.</summary>
    public static string CreateRandomDeviceId()
    {
        Span<byte> mac = stackalloc byte[6];
        RandomNumberGenerator.Fill(mac);
        mac[0] = (byte)((mac[0] & ~0x01) | 0x02);
        return FormatDeviceId(mac);
    }

    /// <summary>Formats six bytes as <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public static string FormatDeviceId(ReadOnlySpan<byte> mac6)
    {
        if (mac6.Length != 6)
        {
            throw new ArgumentException("A device id has 6 bytes.", nameof(mac6));
        }

        return string.Join(':', mac6.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <summary>True for six lowercase hex pairs separated by colons.</summary>
    public static bool IsValidDeviceId(string? deviceId)
    {
        if (deviceId is null || deviceId.Length != 17)
        {
            return false;
        }

        for (var i = 0; i < deviceId.Length; i++)
        {
            var c = deviceId[i];
            var ok = i % 3 == 2 ? c == ':' : char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose() => Keys.Dispose();
}
