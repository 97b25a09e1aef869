using System.Globalization;
using Receiver.Core.Sessions;

namespace Receiver.Web.Options;

/// <summary>Reads the <c>Features</c> option: <c>0x527FFEE6,0x0</c> (TXT-record form), <c>0x5A7FFEE6</c> or a decimal number.</summary>
public static class FeaturesParser
{
    public static ulong Resolve(ReceiverOptions options)
    {
        var features = string.IsNullOrWhiteSpace(options.Features) ? ReceiverSettings.DefaultFeatures : Parse(options.Features);
        if (options.RequirePairing)
        {
            features |= ReceiverSettings.LegacyPairingFeature;
        }

        if (options.EnableH265)
        {
            features |= ReceiverSettings.ScreenMultiCodecFeature;
        }

        if (options.Cast.Enabled)
        {
            features |= ReceiverSettings.VideoFeature | ReceiverSettings.VideoHlsFeature;
        }

        return features;
    }

    public static ulong Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 2)
        {
            throw new FormatException($"features '{text}' has more than two words");
        }

        var low = ParseWord(parts[0]);
        var high = parts.Length == 2 ? ParseWord(parts[1]) : 0;
        if (parts.Length == 2 && (low > uint.MaxValue || high > uint.MaxValue))
        {
            throw new FormatException($"features '{text}': each word must fit in 32 bits");
        }

        return parts.Length == 2 ? (high << 32) | low : low;
    }

    private static ulong ParseWord(string word)
    {
        var ok = word.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(word.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? value : throw new FormatException($"features word '{word}' is not a number");
    }
}
