namespace Receiver.Core.Plist;

/// <summary>A keyed-archiver object reference (binary plists only).</summary>
public sealed class PlistUid : PlistValue
{
    /// <summary>Creates a UID.</summary>
    public PlistUid(ulong value) => Value = value;

    /// <summary>The reference number.</summary>
    public ulong Value { get; }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Uid;

    /// <inheritdoc />
    public override bool Equals(PlistValue? other) => other is PlistUid u && u.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(PlistValueKind.Uid, Value);

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"UID({Value})");
}
