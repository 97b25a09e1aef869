namespace Receiver.Core.Plist;

/// <summary>
/// An immutable property-list value. Equality is structural (deep for containers), so two trees decoded from
/// different encodings of the same data compare equal.
/// </summary>
public abstract class PlistValue : IEquatable<PlistValue>
{
    private protected PlistValue()
    {
    }

    /// <summary>The object type.</summary>
    public abstract PlistValueKind Kind { get; }

    /// <summary>Wraps a string.</summary>
    public static implicit operator PlistValue(string value) => new PlistString(value);

    /// <summary>Wraps a signed integer.</summary>
    public static implicit operator PlistValue(long value) => new PlistInteger(value);

    /// <summary>Wraps a signed integer.</summary>
    public static implicit operator PlistValue(int value) => new PlistInteger(value);

    /// <summary>Wraps an unsigned integer (values above 2^63-1 are written as 16-byte integers).</summary>
    public static implicit operator PlistValue(ulong value) => new PlistInteger(value);

    /// <summary>Wraps a boolean.</summary>
    public static implicit operator PlistValue(bool value) => PlistBoolean.From(value);

    /// <summary>Wraps an 8-byte real.</summary>
    public static implicit operator PlistValue(double value) => new PlistReal(value);

    /// <summary>Wraps a copy of a byte array as data.</summary>
    public static implicit operator PlistValue(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new PlistData(value);
    }

    /// <summary>Wraps a date.</summary>
    public static implicit operator PlistValue(DateTimeOffset value) => new PlistDate(value);

    /// <summary>
    /// Returns this value as <typeparamref name="T"/>, or throws a <see cref="PlistFormatException"/> naming the
    /// expected and actual types.
    /// </summary>
    public T As<T>()
        where T : PlistValue
        => this as T ?? throw new PlistFormatException(
            $"Expected {PlistTypeNames.WithArticle(PlistTypeNames.Of(typeof(T)))} but found {PlistTypeNames.WithArticle(PlistTypeNames.Of(Kind))}.");

    /// <inheritdoc />
    public abstract bool Equals(PlistValue? other);

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => obj is PlistValue other && Equals(other);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>Makes a container read-only; called when it becomes part of another container or is written.</summary>
    internal virtual void MakeReadOnly()
    {
    }
}
