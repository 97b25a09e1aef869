using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Receiver.Core.Access;

/// <summary>
/// RFC 2617 Digest access authentication as AirPlay's password mode uses it on the first SETUP
/// (docs/PROTOCOL.md §3.4): realm <c>raop</c>, MD5, with or without <c>qop=auth</c>.
/// </summary>
public static class HttpDigest
{
    public const string Realm = "raop";

    /// <summary>Longest <c>Authorization</c> header read; longer ones fail.</summary>
    public const int MaxHeaderLength = 4096;

    /// <summary>A fresh, unpredictable nonce: 16 random bytes as 32 lower-case hex digits.</summary>
    public static string NewNonce(RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[16];
        random.GetBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The <c>WWW-Authenticate</c> value of a 401: <c>Digest realm="raop", nonce="…"</c>.</summary>
    public static string Challenge(string nonce)
    {
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        return $"Digest realm=\"{Realm}\", nonce=\"{nonce}\"";
    }

    /// <summary>
    /// Whether <paramref name="authorizationHeader"/> answers the challenge with <paramref name="expectedNonce"/> for
    /// <paramref name="password"/> (any user name). Missing, malformed or foreign headers are simply false.
    /// </summary>
    public static bool Verify(string? authorizationHeader, string method, string password, string expectedNonce) =>
        Verify(authorizationHeader, method, password, expectedNonce, Realm);

    /// <summary><see cref="Verify(string?, string, string, string)"/> for another realm (RFC 2617's own examples).</summary>
    public static bool Verify(string? authorizationHeader, string method, string password, string expectedNonce, string realm)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(expectedNonce);
        ArgumentNullException.ThrowIfNull(realm);
        if (!TryParse(authorizationHeader, "Digest", out var fields)
            || !fields.TryGetValue("username", out var user)
            || !fields.TryGetValue("nonce", out var nonce)
            || !fields.TryGetValue("uri", out var uri)
            || !fields.TryGetValue("response", out var response)
            || !FixedEquals(nonce, expectedNonce))
        {
            return false;
        }

        if (fields.TryGetValue("algorithm", out var algorithm) && !algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string expected;
        if (fields.TryGetValue("qop", out var qop))
        {
            if (!qop.Equals("auth", StringComparison.OrdinalIgnoreCase)
                || !fields.TryGetValue("nc", out var nc)
                || !fields.TryGetValue("cnonce", out var cnonce))
            {
                return false;
            }

            expected = Response(user, realm, password, method, uri, nonce, (nc, cnonce, qop));
        }
        else
        {
            expected = Response(user, realm, password, method, uri, nonce, null);
        }

        return FixedEquals(response.ToLowerInvariant(), expected);
    }

    /// <summary>The client's <c>Authorization</c> value answering <paramref name="wwwAuthenticate"/> (the sender simulator's side).</summary>
    public static string Authorization(string method, string uri, string user, string password, string wwwAuthenticate) =>
        Authorization(method, uri, user, password, wwwAuthenticate, cnonce: null, nonceCount: 1);

    /// <summary>
    /// The client's <c>Authorization</c> value; with <c>qop="auth"</c> offered it answers with <c>qop=auth</c>, the
    /// given <paramref name="cnonce"/> (random when null) and <paramref name="nonceCount"/>.
    /// </summary>
    public static string Authorization(string method, string uri, string user, string password, string wwwAuthenticate, string? cnonce, int nonceCount)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(wwwAuthenticate, "Digest", out var fields) || !fields.TryGetValue("nonce", out var nonce))
        {
            throw new FormatException("The WWW-Authenticate value is no Digest challenge with a nonce.");
        }

        var realm = fields.GetValueOrDefault("realm") ?? Realm;
        var offersAuth = fields.TryGetValue("qop", out var qops)
            && qops.Split(',', StringSplitOptions.TrimEntries).Contains("auth", StringComparer.OrdinalIgnoreCase);
        var builder = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\"");
        if (offersAuth)
        {
            cnonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
            builder.Append(CultureInfo.InvariantCulture, $", qop=auth, nc={nc}, cnonce=\"{cnonce}\"")
                .Append(CultureInfo.InvariantCulture, $", response=\"{Response(user, realm, password, method, uri, nonce, (nc, cnonce, "auth"))}\"");
        }
        else
        {
            builder.Append(CultureInfo.InvariantCulture, $", response=\"{Response(user, realm, password, method, uri, nonce, null)}\"");
        }

        if (fields.TryGetValue("opaque", out var opaque))
        {
            builder.Append(CultureInfo.InvariantCulture, $", opaque=\"{opaque}\"");
        }

        return builder.ToString();
    }

    /// <summary>
    /// Reads <c>Scheme k1=v1, k2="v 2", …</c> into its parameters (names case-insensitive; quoted values may hold commas
    /// and backslash escapes; any order). False when the scheme differs or the value is malformed.
    /// </summary>
    public static bool TryParse(string? header, string scheme, out Dictionary<string, string> fields)
    {
        fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(header) || header.Length > MaxHeaderLength)
        {
            return false;
        }

        var text = header.AsSpan().Trim();
        if (text.Length <= scheme.Length || !text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || !char.IsWhiteSpace(text[scheme.Length]))
        {
            return false;
        }

        var i = scheme.Length;
        while (i < text.Length)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ','))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var name = text[nameStart..i].ToString();
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (name.Length == 0 || i == text.Length || text[i] != '=')
            {
                return false;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    builder.Append(text[i]);
                    i++;
                }

                if (i == text.Length)
                {
                    return false;
                }

                i++;
                value = builder.ToString();
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && text[i] != ',' && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                value = text[valueStart..i].ToString();
            }

            fields.TryAdd(name, value);
        }

        return fields.Count > 0;
    }

    private static string Response(string user, string realm, string password, string method, string uri, string nonce, (string Nc, string Cnonce, string Qop)? qop)
    {
        var ha1 = Md5Hex($"{user}:{realm}:{password}");
        var ha2 = Md5Hex($"{method}:{uri}");
        return qop is { } q
            ? Md5Hex($"{ha1}:{nonce}:{q.Nc}:{q.Cnonce}:{q.Qop}:{ha2}")
            : Md5Hex($"{ha1}:{nonce}:{ha2}");
    }

#pragma warning disable CA5351 // MD5 is what RFC 2617 Digest and AirPlay senders use.
    private static string Md5Hex(string value) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(value)));
#pragma warning restore CA5351

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
