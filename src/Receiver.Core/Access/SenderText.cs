using System.Globalization;
using System.Text;

namespace Receiver.Core.Access;

/// <summary>
/// Text a sender chose (its name, model, device id, OS version…) made safe to keep: control characters (C0, DEL, C1,
/// and the Unicode format characters that reorder or hide text, such as U+202E) are dropped, runs of white space
/// become one space, the ends are trimmed and the result is cut to <see cref="MaxLength"/> characters at a character
/// boundary. Every sender string passes through here before it reaches a log, the API, the hub or a file name.
/// </summary>
public static class SenderText
{
    /// <summary>Longest sender string kept; longer ones are cut and end with an ellipsis.</summary>
    public const int MaxLength = 64;

    /// <summary>Longest request target kept for a log line.</summary>
    public const int MaxPathLength = 256;

    private const char Ellipsis = '…';

    /// <summary>The cleaned text; null for null, and null when nothing printable is left.</summary>
    public static string? Clean(string? text) => Clean(text, MaxLength);

    /// <summary>The cleaned text for a log line or a screen: <c>?</c> when nothing printable is left.</summary>
    public static string Show(string? text, int maxLength = MaxLength) => Clean(text, maxLength) ?? "?";

    /// <summary>The cleaned text cut to <paramref name="maxLength"/> characters (at least 2).</summary>
    public static string? Clean(string? text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (text is null)
        {
            return null;
        }

        if (IsClean(text, maxLength))
        {
            return text;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var pendingSpace = false;
        var cut = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsDropped(rune))
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            var needed = rune.Utf16SequenceLength + (pendingSpace ? 1 : 0);
            if (builder.Length + needed > maxLength - 1)
            {
                cut = true;
                break;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(rune.ToString());
        }

        if (cut)
        {
            builder.Append(Ellipsis);
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>True when <paramref name="text"/> is already what <see cref="Clean(string?, int)"/> returns (the common case: no copy).</summary>
    private static bool IsClean(string text, int maxLength)
    {
        if (text.Length == 0 || text.Length > maxLength || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return false;
        }

        var previousSpace = false;
        foreach (var c in text)
        {
            if (char.IsSurrogate(c) || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return false;
            }

            var space = char.IsWhiteSpace(c);
            if (space && (previousSpace || c != ' '))
            {
                return false;
            }

            previousSpace = space;
        }

        return true;
    }

    // The zero-width joiner stays: it joins emoji sequences ("👩‍💻") and moves no text.
    private static bool IsDropped(Rune rune) =>
        (Rune.IsControl(rune) && !Rune.IsWhiteSpace(rune))
        || (rune.Value != 0x200D && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
}
