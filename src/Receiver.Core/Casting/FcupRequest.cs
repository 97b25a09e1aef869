using System.Globalization;
using System.Text;
using Receiver.Core.Plist;

namespace Receiver.Core.Casting;

/// <summary>
/// An <c>unhandledURLRequest</c>: the receiver asks the phone, over the reverse channel, for a URL only the phone can
/// resolve (YouTube's <c>mlhls://localhost/…</c> playlists). Written as <c>POST /event HTTP/1.1</c> with an XML plist:
/// <c>type</c>, <c>sessionID</c> and a <c>request</c> dictionary with <c>FCUP_Response_URL</c>,
/// <c>FCUP_Response_RequestID</c>, <c>FCUP_Response_ClientInfo</c>, <c>FCUP_Response_ClientRef</c> and the
/// <c>FCUP_Response_Headers</c> the phone should send (<c>X-Playback-Session-Id</c>, <c>User-Agent</c>).
/// </summary>
public static class FcupRequest
{
    public const string UserAgent = "AppleCoreMedia/1.0.0 (Apple TV; U; CPU OS like Mac OS X; en_us)";

    /// <summary>The whole request (head and body) for <paramref name="url"/>.</summary>
    public static byte[] Write(Uri url, int requestId, string appleSessionId)
    {
        ArgumentNullException.ThrowIfNull(url);
        var body = XmlPlist.Write(new PlistDict
        {
            ["sessionID"] = 1,
            ["type"] = "unhandledURLRequest",
            ["request"] = new PlistDict
            {
                ["FCUP_Response_ClientInfo"] = 1,
                ["FCUP_Response_ClientRef"] = 40030004,
                ["FCUP_Response_RequestID"] = requestId,
                ["FCUP_Response_URL"] = url.OriginalString,
                ["sessionID"] = 1,
                ["FCUP_Response_Headers"] = new PlistDict
                {
                    ["X-Playback-Session-Id"] = appleSessionId,
                    ["User-Agent"] = UserAgent,
                },
            },
        });
        var head = Encoding.Latin1.GetBytes(
            "POST /event HTTP/1.1\r\n"
            + $"X-Apple-Session-ID: {appleSessionId}\r\n"
            + "Content-Type: text/x-apple-plist+xml\r\n"
            + $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n");
        return [.. head, .. body];
    }
}
