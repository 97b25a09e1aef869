namespace Receiver.Core.Plist;

/// <summary>A boolean; use <see cref="True"/>, <see cref="False"/> or <see cref="From(bool)"/>.</summary>
public sealed class PlistBoolean : PlistValue
{
    private PlistBoolean(bool value) => Value = value;

    /// <summary>The true value.</summary>
    public static PlistBoolean True { get; } = new(true);

    /// <summary>The false value.</summary>
    public static PlistBoolean False { get; } = new(false);

    /// <summary>The boolean.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override PlistValueKind Kind => PlistValueKind.Boolean;

    /// <summary>Returns the shared instance for <paramref name="value"/>.</summary>
    public static PlistBoolean From(bool value) => value ? True : False;

    /// <inheritdoc />
    public override bool Equals(PlistValue? other) => other is PlistBoolean b && b.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value ? 1 : 2;

    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
