using System.Globalization;
using System.Security.Cryptography;

namespace Receiver.Sender.Sessions;

/// <summary>The simulated sender's device id: a MAC address, <c>AA:BB:CC:DD:EE:FF</c>.</summary>
public static class SenderDeviceId
{
    /// <summary>A random locally administered unicast MAC address.</summary>
    public static string Random()
    {
        var mac = RandomNumberGenerator.GetBytes(6);
        mac[0] = (byte)((mac[0] | 0x02) & 0xFE);
        return string.Join(':', mac.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
    }

    /// <summary>True for six two-digit hex groups separated by colons.</summary>
    public static bool IsValid(string? deviceId)
        => deviceId is { Length: 17 }
           && deviceId.Split(':') is { Length: 6 } parts
           && parts.All(p => p.Length == 2 && p.All(char.IsAsciiHexDigit));

    /// <summary>The <c>X-Apple-Device-ID</c> header value senders send: <c>0x</c> and 12 lowercase hex digits.</summary>
    public static string Header(string deviceId)
    {
        if (!IsValid(deviceId))
        {
            throw new FormatException($"'{deviceId}' is not a device id like AA:BB:CC:DD:EE:FF.");
        }

        return "0x" + deviceId.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
    }
}
