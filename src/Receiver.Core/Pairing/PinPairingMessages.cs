using System.Diagnostics.CodeAnalysis;
using Receiver.Core.Plist;

namespace Receiver.Core.Pairing;

/// <summary>The plist bodies of <c>POST /pair-setup-pin</c> (docs/PROTOCOL.md §3.3): key names, caps and reading.</summary>
internal static class PinPairingMessages
{
    public const string ContentType = "application/x-apple-binary-plist";

    /// <summary>The largest body accepted: step 2 carries ~300 bytes of plist around a 256-byte A.</summary>
    public const int MaxBodyLength = 4096;

    /// <summary>The longest user (sender id) accepted.</summary>
    public const int MaxUserLength = 128;

    public const string Method = "method";
    public const string PinMethod = "pin";
    public const string User = "user";
    public const string PublicKey = "pk";
    public const string Salt = "salt";
    public const string Proof = "proof";
    public const string EncryptedKey = "epk";
    public const string AuthTag = "authTag";

    private static readonly PlistLimits Limits = new() { MaxBytes = MaxBodyLength, MaxDepth = 2, MaxObjects = 32 };

    /// <summary>Reads a body as a dictionary; false with the reason when it is too long, not a plist, or not a dictionary.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, [NotNullWhen(true)] out PlistDict? dict, [NotNullWhen(false)] out string? reason)
    {
        dict = null;
        if (body.Length > MaxBodyLength)
        {
            reason = $"body of {body.Length} bytes is over the {MaxBodyLength}-byte cap";
            return false;
        }

        if (!BinaryPlist.IsBinaryPlist(body))
        {
            reason = $"body of {body.Length} bytes is not a binary plist";
            return false;
        }

        PlistValue root;
        try
        {
            root = BinaryPlist.Read(body, Limits);
        }
        catch (PlistFormatException e)
        {
            reason = "bad binary plist: " + e.Message;
            return false;
        }

        dict = root as PlistDict;
        reason = dict is null ? $"plist root is {root.Kind}, not a dictionary" : null;
        return dict is not null;
    }

    /// <summary>The data at <paramref name="key"/> when present with the type data and a length in [min, max].</summary>
    public static bool TryGetData(PlistDict dict, string key, int min, int max, out ReadOnlyMemory<byte> value, [NotNullWhen(false)] out string? reason)
    {
        value = default;
        if (!dict.TryGetValue(key, out var raw))
        {
            reason = $"'{key}' is missing";
            return false;
        }

        if (raw is not PlistData data)
        {
            reason = $"'{key}' is {raw.Kind}, not data";
            return false;
        }

        if (data.Length < min || data.Length > max)
        {
            reason = min == max ? $"'{key}' must be {min} bytes, got {data.Length}" : $"'{key}' must be {min} to {max} bytes, got {data.Length}";
            return false;
        }

        value = data.Value;
        reason = null;
        return true;
    }

    /// <summary>The string at <paramref name="key"/> when present as a string of 1 to <paramref name="maxLength"/> characters.</summary>
    public static bool TryGetString(PlistDict dict, string key, int maxLength, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? reason)
    {
        value = null;
        if (!dict.TryGetValue(key, out var raw))
        {
            reason = $"'{key}' is missing";
            return false;
        }

        if (raw is not PlistString text)
        {
            reason = $"'{key}' is {raw.Kind}, not a string";
            return false;
        }

        if (text.Value.Length == 0 || text.Value.Length > maxLength)
        {
            reason = $"'{key}' must be 1 to {maxLength} characters, got {text.Value.Length}";
            return false;
        }

        value = text.Value;
        reason = null;
        return true;
    }

    public static byte[] Write(params ReadOnlySpan<(string Key, PlistValue Value)> entries)
    {
        var dict = new PlistDict();
        foreach (var (key, value) in entries)
        {
            dict.Add(key, value);
        }

        return BinaryPlist.Write(dict);
    }
}
