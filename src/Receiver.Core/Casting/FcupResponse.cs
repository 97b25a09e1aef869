using Receiver.Core.Control;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Casting;

/// <summary>
/// The phone's <c>POST /action</c> of type <c>unhandledURLResponse</c>: the content of a URL the receiver asked for
/// (<c>params</c>: <c>FCUP_Response_Data</c>, <c>FCUP_Response_RequestID</c>, <c>FCUP_Response_URL</c>,
/// <c>FCUP_Response_StatusCode</c>).
/// </summary>
public sealed record FcupResponse(int RequestId, string Url, int StatusCode, ReadOnlyMemory<byte> Data)
{
    /// <summary>The action's type (<c>unhandledURLResponse</c>, <c>playlistRemove</c>, <c>playlistInsert</c>…) and its <c>params</c>.</summary>
    public static (string Type, PlistDict? Params) ReadAction(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (string.Empty, null);
        }

        var root = BinaryPlist.IsBinaryPlist(body) ? BinaryPlist.Read(body) : XmlPlist.Read(body);
        if (root is not PlistDict dict)
        {
            throw new ControlRequestException(RtspStatus.BadRequest, "action: the plist is not a dictionary");
        }

        return (dict.GetOptionalString("type") ?? string.Empty, dict.GetOptionalDict("params"));
    }

    public static FcupResponse Parse(PlistDict parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var id = parameters.GetOptionalInt64("FCUP_Response_RequestID") ?? throw new ControlRequestException(RtspStatus.BadRequest, "unhandledURLResponse: no FCUP_Response_RequestID");
        return new FcupResponse(
            (int)Math.Clamp(id, int.MinValue, int.MaxValue),
            parameters.GetOptionalString("FCUP_Response_URL") ?? string.Empty,
            (int)Math.Clamp(parameters.GetOptionalInt64("FCUP_Response_StatusCode") ?? 200, 0, 999),
            parameters.GetOptionalData("FCUP_Response_Data") ?? ReadOnlyMemory<byte>.Empty);
    }
}
