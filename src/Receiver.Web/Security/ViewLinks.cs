using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Receiver.Web.Hosting;

namespace Receiver.Web.Security;

/// <summary>
/// Makes and checks viewing tokens: Data Protection protects (signs and encrypts) the session id, the expiry and
/// the revocation generation. The expiry is read against the injected <see cref="TimeProvider"/>; revoking every
/// link bumps the generation kept in <see cref="GenerationFileName"/> in the data directory, so every older token
/// stops working at once, across restarts (the Data Protection keys live in the data directory as well).
/// </summary>
public sealed class ViewLinks
{
    public const string GenerationFileName = "view-links.generation";
    public const int MaxMinutes = 60 * 24 * 30;
    private const string Purpose = "Receiver.ViewLinks.v1";
    private const byte Version = 1;

    private readonly IDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly string _generationFile;
    private readonly Lock _gate = new();
    private long _generation;

    public ViewLinks(IDataProtectionProvider protection, TimeProvider time, ReceiverRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(protection);
        ArgumentNullException.ThrowIfNull(runtime);
        _protector = protection.CreateProtector(Purpose);
        _time = time;
        _generationFile = Path.Combine(runtime.DataDirectory, GenerationFileName);
        _generation = ReadGeneration(_generationFile);
    }

    /// <summary>A token for <paramref name="sessionId"/> (or <see cref="ReceiverPolicies.AnySession"/>) valid for <paramref name="lifetime"/>.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Create(string sessionId, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var expiresAt = _time.GetUtcNow() + lifetime;
        var id = Encoding.UTF8.GetBytes(sessionId);
        var payload = new byte[1 + 8 + 8 + id.Length];
        payload[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(1), Interlocked.Read(ref _generation));
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(9), expiresAt.ToUnixTimeMilliseconds());
        id.CopyTo(payload.AsSpan(17));
        return (AdminCredentials.Base64Url(_protector.Protect(payload)), DateTimeOffset.FromUnixTimeMilliseconds(expiresAt.ToUnixTimeMilliseconds()));
    }

    /// <summary>The grant of a token that is authentic, unexpired and not revoked; null otherwise.</summary>
    public ViewGrant? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return null;
        }

        byte[] payload;
        try
        {
            payload = _protector.Unprotect(System.Buffers.Text.Base64Url.DecodeFromChars(token));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }

        if (payload.Length < 18 || payload[0] != Version
            || BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(1)) != Interlocked.Read(ref _generation))
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(9)));
        return expiresAt > _time.GetUtcNow() ? new ViewGrant(Encoding.UTF8.GetString(payload.AsSpan(17)), expiresAt) : null;
    }

    /// <summary>Revokes every link made so far.</summary>
    public void RevokeAll()
    {
        lock (_gate)
        {
            var next = Interlocked.Read(ref _generation) + 1;
            Directory.CreateDirectory(Path.GetDirectoryName(_generationFile)!);
            File.WriteAllText(_generationFile, next.ToString(CultureInfo.InvariantCulture));
            Interlocked.Exchange(ref _generation, next);
        }
    }

    private static long ReadGeneration(string file)
    {
        try
        {
            return long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
