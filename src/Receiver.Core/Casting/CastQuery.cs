using System.Globalization;

namespace Receiver.Core.Casting;

/// <summary>Reads the numbers of the casting requests' query strings (<c>/rate?value=1.000000</c>, <c>/scrub?position=6.0</c>).</summary>
public static class CastQuery
{
    /// <summary>The value of <paramref name="name"/> in <paramref name="query"/> as a finite number, or null.</summary>
    public static double? Number(string query, string name)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var part in query.Split('&'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part.AsSpan(0, equals).Equals(name, StringComparison.Ordinal)
                && double.TryParse(part.AsSpan(equals + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value))
            {
                return value;
            }
        }

        return null;
    }
}
