using System.Diagnostics.CodeAnalysis;

namespace Receiver.Core.Access;

/// <summary>Sender device ids as the keys SETUP carries them: six hex pairs, written <c>AA:BB:CC:DD:EE:FF</c>.</summary>
public static class DeviceId
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>
    /// Reads <paramref name="value"/> (either case, <c>:</c> or <c>-</c> between pairs, or the <c>X-Apple-Device-ID</c>
    /// header's <c>0x</c> and twelve hex digits) into its upper-case form.
    /// </summary>
    public static bool TryNormalize([NotNullWhen(true)] string? value, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (value is null)
        {
            return false;
        }

        var text = value.Trim();
        if (text.Length == 14 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            // The X-Apple-Device-ID header form: 0x and twelve hex digits.
            var digits = text.AsSpan(2);
            if (digits.ContainsAnyExcept(HexDigits))
            {
                return false;
            }

            text = string.Create(17, text, static (span, source) =>
            {
                for (var i = 0; i < 6; i++)
                {
                    span[i * 3] = source[2 + (i * 2)];
                    span[(i * 3) + 1] = source[3 + (i * 2)];
                    if (i < 5)
                    {
                        span[(i * 3) + 2] = ':';
                    }
                }
            });
        }

        if (text.Length != 17)
        {
            return false;
        }

        Span<char> result = stackalloc char[17];
        for (var i = 0; i < 17; i++)
        {
            var c = text[i];
            if (i % 3 == 2)
            {
                if (c is not (':' or '-'))
                {
                    return false;
                }

                result[i] = ':';
            }
            else if (char.IsAsciiHexDigit(c))
            {
                result[i] = char.ToUpperInvariant(c);
            }
            else
            {
                return false;
            }
        }

        normalized = new string(result);
        return true;
    }

    /// <summary>The normalised form of <paramref name="value"/>; <see cref="FormatException"/> when it is no device id.</summary>
    public static string Normalize(string value) =>
        TryNormalize(value, out var normalized) ? normalized : throw new FormatException($"'{value}' is not a device id like AA:BB:CC:DD:EE:FF.");
}
