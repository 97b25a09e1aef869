namespace Receiver.Core.Plist;

/// <summary>A text string.</summary>
public sealed class PlistString : PlistValue
{
    /// <summary>Creates a string value.</summary>
    public PlistString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    /// <summary>The text.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.String;

    /// <summary>True when every character is below U+0080 (the binary form then uses one byte per character).</summary>
    public bool IsAscii => System.Text.Ascii.IsValid(Value);

    /// <inheritdoc />
    public override bool Equals(PlistValue? other) => other is PlistString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
