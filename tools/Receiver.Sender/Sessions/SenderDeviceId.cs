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
}
