namespace Receiver.Core.Rtsp;

/// <summary>Interned method and header names, so parsing a typical request allocates only the values it keeps.</summary>
internal static class KnownStrings
{
    public const string ContentLength = "Content-Length";

    private static readonly string[] Methods =
    [
        "GET", "POST", "SETUP", "RECORD", "GET_PARAMETER", "SET_PARAMETER", "FLUSH", "TEARDOWN", "OPTIONS", "ANNOUNCE", "PUT",
    ];

    private static readonly string[] HeaderNames =
    [
        "CSeq", ContentLength, "Content-Type", "User-Agent", "DACP-ID", "Active-Remote", "X-Apple-ProtocolVersion",
        "X-Apple-ET", "X-Apple-Device-ID", "X-Apple-Client-Name", "X-Apple-Session-ID", "RTP-Info", "Authorization",
        "Connection", "Host", "Accept", "Session", "Transport", "X-Apple-HKP", "X-Apple-AbsoluteTime",
    ];

    private static readonly byte[][] MethodBytes = Methods.Select(System.Text.Encoding.ASCII.GetBytes).ToArray();
    private static readonly byte[][] HeaderBytes = HeaderNames.Select(System.Text.Encoding.ASCII.GetBytes).ToArray();

    public static string? Method(ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < MethodBytes.Length; i++)
        {
            if (value.SequenceEqual(MethodBytes[i]))
            {
                return Methods[i];
            }
        }

        return null;
    }

    public static string? HeaderName(ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < HeaderBytes.Length; i++)
        {
            var known = HeaderBytes[i];
            if (known.Length == value.Length && EqualsIgnoreAsciiCase(value, known))
            {
                return HeaderNames[i];
            }
        }

        return null;
    }

    private static bool EqualsIgnoreAsciiCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if ((a[i] | 0x20) != (b[i] | 0x20))
            {
                return false;
            }
        }

        return true;
    }
}
