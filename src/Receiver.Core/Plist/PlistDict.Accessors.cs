namespace Receiver.Core.Plist;

/// <summary>Typed accessors that turn a missing or mistyped key into a precise <see cref="PlistFormatException"/>.</summary>
public sealed partial class PlistDict
{
    /// <summary>The string at <paramref name="key"/>.</summary>
    public string GetString(string key) => Require<PlistString>(key).Value;

    /// <summary>The integer at <paramref name="key"/> as <see cref="long"/> (throws above 2^63-1).</summary>
    public long GetInt64(string key) => WithKey(key, Require<PlistInteger>(key).AsInt64);

    /// <summary>The integer at <paramref name="key"/> as <see cref="ulong"/> (throws when negative).</summary>
    public ulong GetUInt64(string key) => WithKey(key, Require<PlistInteger>(key).AsUInt64);

    /// <summary>
    /// The integer at <paramref name="key"/> as the unsigned reading of its 64 bits: a negative 8-byte value
    /// becomes its two's-complement bit pattern (how AirPlay stream connection ids are used).
    /// </summary>
    public ulong GetUInt64Reinterpret(string key) => Require<PlistInteger>(key).AsUInt64Reinterpret();

    /// <summary>The boolean at <paramref name="key"/>.</summary>
    public bool GetBoolean(string key) => Require<PlistBoolean>(key).Value;

    /// <summary>The number at <paramref name="key"/>: a real, or an integer converted to <see cref="double"/>.</summary>
    public double GetReal(string key) => RealOf(key, GetRequired(key));

    /// <summary>The data at <paramref name="key"/>.</summary>
    public ReadOnlyMemory<byte> GetData(string key) => Require<PlistData>(key).Value;

    /// <summary>The date at <paramref name="key"/>.</summary>
    public DateTimeOffset GetDate(string key) => WithKey(key, () => Require<PlistDate>(key).Value);

    /// <summary>The array at <paramref name="key"/>.</summary>
    public PlistArray GetArray(string key) => Require<PlistArray>(key);

    /// <summary>The dictionary at <paramref name="key"/>.</summary>
    public PlistDict GetDict(string key) => Require<PlistDict>(key);

    /// <summary>The string at <paramref name="key"/>, or null when absent (throws when present with another type).</summary>
    public string? GetOptionalString(string key) => Optional<PlistString>(key)?.Value;

    /// <summary>The integer at <paramref name="key"/> as <see cref="long"/>, or null when absent.</summary>
    public long? GetOptionalInt64(string key) => ContainsKey(key) ? GetInt64(key) : null;

    /// <summary>The integer at <paramref name="key"/> as <see cref="ulong"/>, or null when absent.</summary>
    public ulong? GetOptionalUInt64(string key) => ContainsKey(key) ? GetUInt64(key) : null;

    /// <summary>The boolean at <paramref name="key"/>, or null when absent.</summary>
    public bool? GetOptionalBoolean(string key) => Optional<PlistBoolean>(key)?.Value;

    /// <summary>The number at <paramref name="key"/> (real or integer), or null when absent.</summary>
    public double? GetOptionalReal(string key) => TryGetValue(key, out var value) ? RealOf(key, value) : null;

    /// <summary>The data at <paramref name="key"/>, or null when absent.</summary>
    public ReadOnlyMemory<byte>? GetOptionalData(string key) => Optional<PlistData>(key)?.Value;

    /// <summary>The array at <paramref name="key"/>, or null when absent.</summary>
    public PlistArray? GetOptionalArray(string key) => Optional<PlistArray>(key);

    /// <summary>The dictionary at <paramref name="key"/>, or null when absent.</summary>
    public PlistDict? GetOptionalDict(string key) => Optional<PlistDict>(key);

    /// <summary>Gets the string at <paramref name="key"/>; false when absent, throws when present with another type.</summary>
    public bool TryGetString(string key, out string value)
    {
        value = GetOptionalString(key) ?? string.Empty;
        return ContainsKey(key);
    }

    /// <summary>Gets the integer at <paramref name="key"/> as <see cref="long"/>; false when absent.</summary>
    public bool TryGetInt64(string key, out long value)
    {
        value = GetOptionalInt64(key) ?? 0;
        return ContainsKey(key);
    }

    /// <summary>Gets the integer at <paramref name="key"/> as <see cref="ulong"/>; false when absent.</summary>
    public bool TryGetUInt64(string key, out ulong value)
    {
        value = GetOptionalUInt64(key) ?? 0;
        return ContainsKey(key);
    }

    /// <summary>Gets the boolean at <paramref name="key"/>; false when absent.</summary>
    public bool TryGetBoolean(string key, out bool value)
    {
        value = GetOptionalBoolean(key) ?? false;
        return ContainsKey(key);
    }

    /// <summary>Gets the number at <paramref name="key"/>; false when absent.</summary>
    public bool TryGetReal(string key, out double value)
    {
        value = GetOptionalReal(key) ?? 0;
        return ContainsKey(key);
    }

    /// <summary>Gets the data at <paramref name="key"/>; false when absent.</summary>
    public bool TryGetData(string key, out ReadOnlyMemory<byte> value)
    {
        value = GetOptionalData(key) ?? ReadOnlyMemory<byte>.Empty;
        return ContainsKey(key);
    }

    private static double RealOf(string key, PlistValue value) => value switch
    {
        PlistReal r => r.Value,
        PlistInteger i => (double)i.Value,
        _ => throw WrongType(key, "real or integer", value),
    };

    private static PlistFormatException WrongType(string key, string expected, PlistValue actual)
        => new($"Plist key '{key}' must be {PlistTypeNames.WithArticle(expected)} but is {PlistTypeNames.WithArticle(PlistTypeNames.Of(actual.Kind))}.");

    private static T WithKey<T>(string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (PlistFormatException e)
        {
            throw new PlistFormatException($"Plist key '{key}': {e.Message}", e);
        }
    }

    private PlistValue GetRequired(string key)
        => TryGetValue(key, out var value) ? value : throw new PlistFormatException($"Plist key '{key}' is missing.");

    private T Require<T>(string key)
        where T : PlistValue
    {
        var value = GetRequired(key);
        return value as T ?? throw WrongType(key, PlistTypeNames.Of(typeof(T)), value);
    }

    private T? Optional<T>(string key)
        where T : PlistValue
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }

        return value as T ?? throw WrongType(key, PlistTypeNames.Of(typeof(T)), value);
    }
}
