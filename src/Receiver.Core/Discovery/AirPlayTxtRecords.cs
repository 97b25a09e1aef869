using System.Globalization;
using System.Text;

namespace Receiver.Core.Discovery;

/// <summary>
/// TXT records of the <c>_airplay._tcp</c> and <c>_raop._tcp</c> services (docs/PROTOCOL.md §1.2 and §1.3), in the
/// order they are published. <see cref="ToRdata"/> gives the exact bytes published in DNS, which are also the
/// <c>txtAirPlay</c> / <c>txtRAOP</c> blobs of a <c>GET /info</c> qualifier reply.
/// </summary>
public static class AirPlayTxtRecords
{
    /// <summary>Pairing identity UUID published as <c>pi</c>.</summary>
    public const string PairingIdentity = "2e388006-13ba-4041-9a67-25dd4a43d536";

    /// <summary>Longest single TXT string (length byte limit).</summary>
    public const int MaxStringLength = 255;

    public static IReadOnlyList<KeyValuePair<string, string>> ForAirPlay(AirPlayServiceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return
        [
            new("deviceid", info.DeviceId.ToLowerInvariant()),
            new("features", FormatFeatures(info.Features)),
            new("pw", FormatBool(info.PasswordRequired || info.PinRequired)),
            new("flags", "0x4"),
            new("model", info.Model),
            new("pk", Convert.ToHexStringLower(info.PublicKey.Span)),
            new("pi", PairingIdentity),
            new("srcvers", info.SourceVersion),
            new("vv", "2"),
        ];
    }

    public static IReadOnlyList<KeyValuePair<string, string>> ForRaop(AirPlayServiceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var statusFlags = info.PinRequired ? "0x8c" : info.PasswordRequired ? "0x84" : "0x4";
        return
        [
            new("ch", "2"),
            new("cn", "1,2,3"),
            new("da", "true"),
            new("et", "0,3,5"),
            new("vv", "2"),
            new("ft", FormatFeatures(info.Features)),
            new("am", info.Model),
            new("rhd", "5.6.0.0"),
            new("pw", FormatBool(info.PasswordRequired || info.PinRequired)),
            new("sf", statusFlags),
            new("sr", "44100"),
            new("ss", "16"),
            new("sv", "false"),
            new("tp", "UDP"),
            new("txtvers", "1"),
            new("vs", info.SourceVersion),
            new("vn", "65537"),
            new("pk", Convert.ToHexStringLower(info.PublicKey.Span)),
        ];
    }

    /// <summary>
    /// Encodes TXT data: each entry as one length byte followed by UTF-8 <c>key=value</c> (RFC 6763 section 6).
    /// An empty list gives the single empty string RFC 6763 requires.
    /// </summary>
    public static byte[] ToRdata(IReadOnlyList<KeyValuePair<string, string>> txt)
    {
        ArgumentNullException.ThrowIfNull(txt);
        if (txt.Count == 0)
        {
            return [0];
        }

        var strings = new byte[txt.Count][];
        var total = 0;
        for (var i = 0; i < txt.Count; i++)
        {
            var (key, value) = txt[i];
            if (string.IsNullOrEmpty(key) || key.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"TXT key '{key}' must be non-empty and contain no '='.", nameof(txt));
            }

            strings[i] = Encoding.UTF8.GetBytes(key + "=" + value);
            if (strings[i].Length > MaxStringLength)
            {
                throw new ArgumentException($"TXT entry '{key}' is {strings[i].Length} bytes; at most {MaxStringLength} are allowed.", nameof(txt));
            }

            total += 1 + strings[i].Length;
        }

        var rdata = new byte[total];
        var offset = 0;
        foreach (var s in strings)
        {
            rdata[offset] = (byte)s.Length;
            s.CopyTo(rdata, offset + 1);
            offset += 1 + s.Length;
        }

        return rdata;
    }

    /// <summary>Low and high 32 bits as upper-case hex, e.g. <c>0x52785EC0,0x0</c>.</summary>
    public static string FormatFeatures(ulong features) =>
        string.Create(CultureInfo.InvariantCulture, $"0x{(uint)features:X},0x{(uint)(features >> 32):X}");

    private static string FormatBool(bool value) => value ? "true" : "false";
}
