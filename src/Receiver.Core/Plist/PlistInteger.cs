using System.Globalization;

namespace Receiver.Core.Plist;

/// <summary>
/// An integer in the range a binary plist can carry: -2^63 .. 2^64-1. Binary plists store values up to 2^63-1 in
/// at most 8 bytes, negative values as 8-byte two's complement, and values from 2^63 as 16-byte integers.
/// </summary>
public sealed class PlistInteger : PlistValue
{
    /// <summary>The smallest representable value, -2^63.</summary>
    public static readonly Int128 MinValue = long.MinValue;

    /// <summary>The largest representable value, 2^64-1.</summary>
    public static readonly Int128 MaxValue = ulong.MaxValue;

    /// <summary>Creates an integer from a signed 64-bit value.</summary>
    public PlistInteger(long value) => Value = value;

    /// <summary>Creates an integer from an unsigned 64-bit value.</summary>
    public PlistInteger(ulong value) => Value = value;

    /// <summary>Creates an integer; throws <see cref="ArgumentOutOfRangeException"/> outside -2^63 .. 2^64-1.</summary>
    public PlistInteger(Int128 value)
    {
        if (value < MinValue || value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A plist integer must lie in -2^63 .. 2^64-1.");
        }

        Value = value;
    }

    /// <summary>The exact value.</summary>
    public Int128 Value { get; }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Integer;

    /// <summary>True when the value is negative.</summary>
    public bool IsNegative => Value < 0;

    /// <summary>The value as <see cref="long"/>; throws <see cref="PlistFormatException"/> above 2^63-1.</summary>
    public long AsInt64()
        => Value <= long.MaxValue
            ? (long)Value
            : throw new PlistFormatException($"Plist integer {Value} does not fit a signed 64-bit integer.");

    /// <summary>The value as <see cref="ulong"/>; throws <see cref="PlistFormatException"/> when negative.</summary>
    public ulong AsUInt64()
        => Value >= 0
            ? (ulong)Value
            : throw new PlistFormatException($"Plist integer {Value} is negative and does not fit an unsigned 64-bit integer.");

    /// <summary>
    /// The 64 bits of the value read as unsigned: a negative value (an 8-byte two's-complement integer in the file)
    /// becomes its unsigned bit pattern, e.g. -1 gives 2^64-1. Never throws.
    /// </summary>
    public ulong AsUInt64Reinterpret() => Value < 0 ? unchecked((ulong)(long)Value) : (ulong)Value;

    /// <inheritdoc />
    public override bool Equals(PlistValue? other) => other is PlistInteger i && i.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
