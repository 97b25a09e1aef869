namespace Receiver.Sender.Sessions;

/// <summary>
/// The PIN the simulated sender pairs with (<c>--pin</c>): four digits typed in, or <c>auto</c> to read the PIN the
/// receiver shows from its admin API (<c>GET /api/access/pin</c>).
/// </summary>
public sealed record SenderPin
{
    private SenderPin(string? digits) => Digits = digits;

    /// <summary>The four digits, or null for <see cref="IsAuto"/>.</summary>
    public string? Digits { get; }

    /// <summary>True when the PIN is read from the receiver's admin API.</summary>
    public bool IsAuto => Digits is null;

    /// <summary>The PIN read from the admin API.</summary>
    public static SenderPin Auto { get; } = new((string?)null);

    /// <summary>Parses <c>auto</c> or exactly four ASCII digits; anything else is a <see cref="FormatException"/>.</summary>
    public static SenderPin Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return Auto;
        }

        if (!IsPin(text))
        {
            throw new FormatException($"--pin must be four digits (e.g. 1234) or 'auto', not '{text}'.");
        }

        return new SenderPin(text);
    }

    /// <summary>True for exactly four ASCII digits.</summary>
    public static bool IsPin(string? text) => text is { Length: 4 } && text.All(char.IsAsciiDigit);

    /// <inheritdoc />
    public override string ToString() => Digits ?? "auto";
}
