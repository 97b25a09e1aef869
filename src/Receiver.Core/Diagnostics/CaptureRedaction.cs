namespace Receiver.Core.Diagnostics;

/// <summary>
/// What a protocol capture never holds: FairPlay messages, pairing messages, keys and IVs, PINs, passwords,
/// authorization headers, tokens and cookies. Each is replaced by a marker with its kind and length, e.g.
/// <c>{"redacted": "fairplay", "length": 164}</c>.
/// </summary>
public static class CaptureRedaction
{
    /// <summary>The kind written for FairPlay message bodies (<c>/fp-setup</c>, <c>/fp-setup2</c>).</summary>
    public const string FairPlay = "fairplay";

    /// <summary>The kind written for pairing message bodies (pair-setup, pair-verify, pair-pin-start, pair-setup-pin…).</summary>
    public const string Pairing = "pairing";

    /// <summary>The kind written for plist values whose name says they hold a key, IV, PIN, password or token.</summary>
    public const string Key = "key";

    /// <summary>The kind written for plist data values of any other name (opaque bytes are never kept).</summary>
    public const string Data = "data";

    /// <summary>The kind written for the values of headers that carry credentials.</summary>
    public const string Credentials = "credentials";

    private static readonly string[] SecretKeyWords = ["key", "secret", "password", "passwd", "token", "signature", "salt", "proof", "nonce", "pin"];

    private static readonly HashSet<string> SecretKeyNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "eiv", "iv", "shk", "pk", "param1", "param2", "authTag", "epk", "sharedSecret",
    };

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "Apple-Challenge", "Apple-Response",
    };

    private static readonly string[] SecretHeaderWords = ["token", "password", "secret", "key", "pin", "auth"];

    /// <summary>
    /// The redaction kind of a request or response body to <paramref name="path"/> (FairPlay or pairing), or null when
    /// its body may be kept. Any pairing TLV8 body counts as pairing whatever its path.
    /// </summary>
    public static string? BodyKind(string path, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.StartsWith("/fp-setup", StringComparison.OrdinalIgnoreCase))
        {
            return FairPlay;
        }

        if (path.StartsWith("/pair", StringComparison.OrdinalIgnoreCase)
            || (contentType is not null && contentType.Contains("pairing", StringComparison.OrdinalIgnoreCase)))
        {
            return Pairing;
        }

        return null;
    }

    /// <summary>True when a plist value named <paramref name="key"/> must not be kept (<c>ekey</c>, <c>eiv</c>, <c>pk</c>, …).</summary>
    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (SecretKeyNames.Contains(key))
        {
            return true;
        }

        foreach (var word in SecretKeyWords)
        {
            // "pin" alone or as a word part (pinCode, devicePIN); "spinning" does not count.
            if (word == "pin"
                ? key.Equals("pin", StringComparison.OrdinalIgnoreCase) || key.StartsWith("pin", StringComparison.Ordinal) || key.EndsWith("PIN", StringComparison.Ordinal) || key.EndsWith("Pin", StringComparison.Ordinal)
                : key.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the value of header <paramref name="name"/> carries credentials (authorization, cookies, challenges).</summary>
    public static bool IsSecretHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (SecretHeaders.Contains(name))
        {
            return true;
        }

        foreach (var word in SecretHeaderWords)
        {
            if (name.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True for plist data that is a DNS-SD TXT record set (<c>txtAirPlay</c>, <c>txtRAOP</c> in <c>GET /info</c>):
    /// written as its strings, with the values of secret names (<c>pk</c>) left out.
    /// </summary>
    public static bool IsTxtRecord(string key) => key.StartsWith("txt", StringComparison.Ordinal);
}
