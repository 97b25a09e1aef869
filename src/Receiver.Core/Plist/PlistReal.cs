using System.Globalization;

namespace Receiver.Core.Plist;

/// <summary>
/// A floating-point number. Equality compares the exact bits, so -0.0 differs from 0.0 and NaN equals itself.
/// <see cref="IsSinglePrecision"/> records a 4-byte real; it is written back as 4 bytes but does not take part in
/// equality.
/// </summary>
public sealed class PlistReal : PlistValue
{
    /// <summary>Creates a real. A single-precision real must hold a value a <see cref="float"/> represents exactly.</summary>
    public PlistReal(double value, bool isSinglePrecision = false)
    {
        if (isSinglePrecision && !double.IsNaN(value) && (double)(float)value != value)
        {
            throw new ArgumentException("The value is not exactly representable as a 4-byte real.", nameof(value));
        }

        Value = value;
        IsSinglePrecision = isSinglePrecision;
    }

    /// <summary>The number.</summary>
    public double Value { get; }

    /// <summary>True when the value came from (and is written as) a 4-byte real.</summary>
    public bool IsSinglePrecision { get; }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Real;

    /// <inheritdoc />
    public override bool Equals(PlistValue? other)
        => other is PlistReal r && BitConverter.DoubleToInt64Bits(r.Value) == BitConverter.DoubleToInt64Bits(Value);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.DoubleToInt64Bits(Value).GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
