namespace Receiver.Core.Plist;

/// <summary>An opaque byte string. The bytes are owned by the value and never change.</summary>
public sealed class PlistData : PlistValue
{
    private readonly byte[] bytes;

    /// <summary>Creates a data value holding a copy of <paramref name="value"/>.</summary>
    public PlistData(ReadOnlySpan<byte> value) => bytes = value.ToArray();

    private PlistData(byte[] owned, bool _) => bytes = owned;

    /// <summary>The bytes.</summary>
    public ReadOnlyMemory<byte> Value => bytes;

    /// <summary>The bytes as a span.</summary>
    public ReadOnlySpan<byte> Span => bytes;

    /// <summary>The number of bytes.</summary>
    public int Length => bytes.Length;

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Data;

    /// <summary>Returns a new array with a copy of the bytes.</summary>
    public byte[] ToArray() => (byte[])bytes.Clone();

    /// <inheritdoc />
    public override bool Equals(PlistValue? other) => other is PlistData d && d.bytes.AsSpan().SequenceEqual(bytes);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"<{bytes.Length} bytes>");

    /// <summary>Wraps an array that the caller hands over and never touches again.</summary>
    internal static PlistData TakeOwnership(byte[] owned) => new(owned, false);
}
