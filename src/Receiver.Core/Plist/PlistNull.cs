namespace Receiver.Core.Plist;

/// <summary>The binary plist null object (marker 0x00). XML property lists cannot hold it.</summary>
public sealed class PlistNull : PlistValue
{
    private PlistNull()
    {
    }

    /// <summary>The only instance.</summary>
    public static PlistNull Instance { get; } = new();

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Null;

    /// <inheritdoc />
    public override bool Equals(PlistValue? other) => other is PlistNull;

    /// <inheritdoc />
    public override int GetHashCode() => 0x6E756C6C;

    /// <inheritdoc />
    public override string ToString() => "null";
}
