using Receiver.Core.Plist;
using Receiver.Core.Sessions;

namespace Receiver.Core.Legacy;

/// <summary>The XML plist answered to <c>GET /stream.xml</c>: the display the receiver offers to legacy senders.</summary>
public static class StreamXml
{
    public const string ContentType = "text/x-apple-plist+xml";
    public const string Version = "130.14";

    public static byte[] Build(DisplaySettings display) => XmlPlist.Write(new PlistDict
    {
        ["height"] = display.Height,
        ["overscanned"] = display.Overscanned,
        ["refreshRate"] = 1.0 / display.RefreshRate,
        ["version"] = Version,
        ["width"] = display.Width,
    });
}
