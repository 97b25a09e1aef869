using Receiver.Core.Plist;

namespace Receiver.Core.Control;

/// <summary>
/// A <c>GET /info</c>: without a body it asks for the full capability dictionary; with a binary plist holding a
/// <c>qualifier</c> array (e.g. <c>["txtAirPlay"]</c>) it asks for those records only.
/// </summary>
public sealed record InfoRequest(IReadOnlyList<string>? Qualifier)
{
    /// <summary>Reads the request; a body that is not a binary plist asks for everything.</summary>
    public static InfoRequest Parse(ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty && BinaryPlist.IsBinaryPlist(body)
            && BinaryPlist.Read(body) is PlistDict dict && dict.TryGetValue("qualifier", out var qualifier) && qualifier is PlistArray names)
        {
            return new InfoRequest([.. names.OfType<PlistString>().Select(s => s.Value)]);
        }

        return new InfoRequest((IReadOnlyList<string>?)null);
    }
}
