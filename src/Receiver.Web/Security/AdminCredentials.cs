using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Receiver.Web.Hosting;
using Receiver.Web.Options;

namespace Receiver.Web.Security;

/// <summary>
/// The admin's secrets, kept only as hashes: the API key (<c>Receiver:Admin:ApiKey</c>), the dashboard password
/// (<c>Receiver:Admin:Password</c>, salted PBKDF2) and, when neither is configured, a random admin token made on
/// first start whose SHA-256 is kept in <see cref="TokenFileName"/> in the data directory. Every comparison is in
/// constant time.
/// </summary>
public sealed class AdminCredentials
{
    public const string TokenFileName = "admin-token.sha256";
    private const int PasswordIterations = 100_000;

    private readonly Lock _gate = new();
    private readonly byte[]? _apiKeyHash;
    private readonly byte[]? _passwordHash;
    private readonly byte[] _passwordSalt = RandomNumberGenerator.GetBytes(16);
    private readonly string _tokenFile;
    private byte[]? _tokenHash;
    private bool _tokenLoaded;

    public AdminCredentials(IOptions<ReceiverOptions> options, ReceiverRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtime);
        var admin = options.Value.Admin;
        _apiKeyHash = string.IsNullOrEmpty(admin.ApiKey) ? null : Sha256(admin.ApiKey);
        _passwordHash = string.IsNullOrEmpty(admin.Password) ? null : HashPassword(admin.Password, _passwordSalt);
        _tokenFile = Path.Combine(runtime.DataDirectory, TokenFileName);
    }

    /// <summary>Neither an API key nor a password is configured: the receiver signs its admin in with a token of its own.</summary>
    public bool UsesGeneratedToken => _apiKeyHash is null && _passwordHash is null;

    /// <summary>
    /// Loads the token's hash, or makes the token when there is none yet (or <paramref name="rotate"/>) and returns it:
    /// the only moment it is known. Null when the token already existed or the receiver does not use one.
    /// </summary>
    public string? EnsureToken(bool rotate = false)
    {
        if (!UsesGeneratedToken)
        {
            return null;
        }

        lock (_gate)
        {
            if (!rotate && (_tokenLoaded || TryLoadToken()))
            {
                return null;
            }

            var token = Base64Url(RandomNumberGenerator.GetBytes(32));
            var hash = Sha256(token);
            Directory.CreateDirectory(Path.GetDirectoryName(_tokenFile)!);
            File.WriteAllText(_tokenFile, Convert.ToHexStringLower(hash));
            _tokenHash = hash;
            _tokenLoaded = true;
            return token;
        }
    }

    /// <summary>The API key or the generated admin token.</summary>
    public bool IsAdminKey(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return false;
        }

        var hash = Sha256(candidate);
        var token = TokenHash();
        // Both comparisons always run, so the answer takes as long whichever secret matched.
        var isKey = _apiKeyHash is not null && CryptographicOperations.FixedTimeEquals(hash, _apiKeyHash);
        var isToken = token is not null && CryptographicOperations.FixedTimeEquals(hash, token);
        return isKey | isToken;
    }

    /// <summary>The dashboard password, the API key or the generated token (what the sign-in form accepts).</summary>
    public bool IsSignInSecret(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return false;
        }

        var isPassword = _passwordHash is not null && CryptographicOperations.FixedTimeEquals(HashPassword(candidate, _passwordSalt), _passwordHash);
        return isPassword | IsAdminKey(candidate);
    }

    private byte[]? TokenHash()
    {
        if (!UsesGeneratedToken)
        {
            return null;
        }

        lock (_gate)
        {
            if (!_tokenLoaded)
            {
                TryLoadToken();
            }

            return _tokenHash;
        }
    }

    private bool TryLoadToken()
    {
        try
        {
            var hex = File.ReadAllText(_tokenFile).Trim();
            var hash = Convert.FromHexString(hex);
            if (hash.Length != SHA256.HashSizeInBytes)
            {
                return false;
            }

            _tokenHash = hash;
            _tokenLoaded = true;
            return true;
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static byte[] Sha256(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    private static byte[] HashPassword(string password, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, PasswordIterations, HashAlgorithmName.SHA256, 32);

    internal static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
