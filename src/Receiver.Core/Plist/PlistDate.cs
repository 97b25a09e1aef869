using System.Globalization;

namespace Receiver.Core.Plist;

/// <summary>
/// A date, stored as it is on the wire: seconds (an 8-byte real) since 2001-01-01T00:00:00Z. Equality compares
/// those seconds exactly.
/// </summary>
public sealed class PlistDate : PlistValue
{
    /// <summary>The plist epoch, 2001-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset ReferenceDate = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Creates a date from a point in time (100 ns resolution).</summary>
    public PlistDate(DateTimeOffset value)
        => SecondsSinceReference = (value.UtcTicks - ReferenceDate.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    private PlistDate(double seconds) => SecondsSinceReference = seconds;

    /// <summary>Seconds since <see cref="ReferenceDate"/>, possibly fractional or negative.</summary>
    public double SecondsSinceReference { get; }

    /// <summary>
    /// The date as a UTC <see cref="DateTimeOffset"/>; throws <see cref="PlistFormatException"/> if the stored
    /// seconds lie outside the years 1..9999 or are not a number.
    /// </summary>
    public DateTimeOffset Value
    {
        get
        {
            double ticks = Math.Round(SecondsSinceReference * TimeSpan.TicksPerSecond);
            double min = DateTimeOffset.MinValue.UtcTicks - ReferenceDate.UtcTicks;
            double max = DateTimeOffset.MaxValue.UtcTicks - ReferenceDate.UtcTicks;
            if (double.IsNaN(ticks) || ticks < min || ticks > max)
            {
                throw new PlistFormatException(
                    $"Plist date {SecondsSinceReference.ToString("R", CultureInfo.InvariantCulture)} s is outside the representable range.");
            }

            return ReferenceDate.AddTicks((long)ticks);
        }
    }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Date;

    /// <summary>Creates a date from the raw seconds since <see cref="ReferenceDate"/>.</summary>
    public static PlistDate FromSecondsSinceReference(double seconds) => new(seconds);

    /// <inheritdoc />
    public override bool Equals(PlistValue? other)
        => other is PlistDate d
            && BitConverter.DoubleToInt64Bits(d.SecondsSinceReference) == BitConverter.DoubleToInt64Bits(SecondsSinceReference);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(PlistValueKind.Date, SecondsSinceReference);

    /// <inheritdoc />
    public override string ToString()
        => SecondsSinceReference.ToString("R", CultureInfo.InvariantCulture) + " s since 2001-01-01Z";
}
