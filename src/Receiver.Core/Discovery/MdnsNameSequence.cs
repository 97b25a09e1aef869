using System.Globalization;
using System.Text;

namespace Receiver.Core.Discovery;

/// <summary>
/// The names a responder moves to after a conflict (RFC 6762 section 9, RFC 6763 appendix D): service instances
/// <c>Name</c> → <c>Name (2)</c> → <c>Name (3)</c>…, host labels <c>host</c> → <c>host-2</c> → <c>host-3</c>…
/// </summary>
public static class MdnsNameSequence
{
    /// <summary>
    /// The instance name after <paramref name="name"/>. The base is shortened (at a character boundary) when the
    /// result would exceed <paramref name="maxBytes"/> UTF-8 bytes.
    /// </summary>
    public static string NextServiceName(string name, int maxBytes = DnsName.MaxLabelLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var (stem, number) = Split(name, " (", ")");
        return Fit(stem, string.Create(CultureInfo.InvariantCulture, $" ({number + 1})"), maxBytes);
    }

    /// <summary>The host label after <paramref name="label"/>, shortened to fit in one DNS label.</summary>
    public static string NextHostLabel(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        var (stem, number) = Split(label, "-", string.Empty);
        return Fit(stem, string.Create(CultureInfo.InvariantCulture, $"-{number + 1}"), DnsName.MaxLabelLength);
    }

    // "stem<open>N<close>" with N >= 2 gives (stem, N); anything else is its own stem with number 1.
    private static (string Stem, int Number) Split(string name, string open, string close)
    {
        if (name.EndsWith(close, StringComparison.Ordinal))
        {
            var end = name.Length - close.Length;
            var start = name.LastIndexOf(open, end, StringComparison.Ordinal);
            if (start > 0
                && end - start - open.Length is > 0 and <= 9
                && name[(start + open.Length)..end].All(char.IsAsciiDigit)
                && name[start + open.Length] != '0'
                && int.TryParse(name.AsSpan(start + open.Length, end - start - open.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && n >= 2)
            {
                return (name[..start], n);
            }
        }

        return (name, 1);
    }

    private static string Fit(string stem, string suffix, int maxBytes)
    {
        var room = maxBytes - Encoding.UTF8.GetByteCount(suffix);
        if (room < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "No room for a name before the conflict suffix.");
        }

        var end = stem.Length;
        while (Encoding.UTF8.GetByteCount(stem.AsSpan(0, end)) > room)
        {
            end--;
            if (end > 0 && char.IsLowSurrogate(stem[end]))
            {
                end--;
            }
        }

        return stem[..end].TrimEnd() + suffix;
    }
}
