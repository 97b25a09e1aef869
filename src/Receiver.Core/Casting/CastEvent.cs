using System.Globalization;
using System.Text;
using Receiver.Core.Plist;

namespace Receiver.Core.Casting;

/// <summary>
/// The receiver tells the phone how its video stands, over the reverse channel: <c>POST /event HTTP/1.1</c> with an
/// XML plist <c>{category: "video", sessionID: 1, state: loading|playing|paused|stopped}</c> (a failed or ended
/// video is <c>stopped</c>), so the phone's controls show what the pages do.
/// </summary>
public static class CastEvent
{
    /// <summary>The phone's name for <paramref name="state"/>.</summary>
    public static string StateName(CastState state) => state switch
    {
        CastState.Loading => "loading",
        CastState.Playing => "playing",
        CastState.Paused => "paused",
        _ => "stopped",
    };

    public static byte[] Write(string state, string appleSessionId)
    {
        var body = XmlPlist.Write(new PlistDict { ["category"] = "video", ["sessionID"] = 1, ["state"] = state });
        var head = Encoding.Latin1.GetBytes(
            "POST /event HTTP/1.1\r\n"
            + $"X-Apple-Session-ID: {appleSessionId}\r\n"
            + "Content-Type: text/x-apple-plist+xml\r\n"
            + $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n");
        return [.. head, .. body];
    }
}
