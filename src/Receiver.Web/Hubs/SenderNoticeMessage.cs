using Receiver.Core.Sessions;

namespace Receiver.Web.Hubs;

/// <summary>What the hub's <c>SenderNotice</c> carries.</summary>
/// <param name="SessionId">The session the request belongs to; null when it came before any session.</param>
/// <param name="Kind">protectedContent (fp-setup2, refused with 421), ptpTiming (no clock exchange) or remoteControlOnly (accepted, nothing shown).</param>
/// <param name="Remote">The sender's address and port.</param>
/// <param name="DeviceId">The sender's device id, when it sent one.</param>
/// <param name="Detail">Why, in one sentence.</param>
public sealed record SenderNoticeMessage(string? SessionId, string Kind, string Remote, string? DeviceId, string Detail)
{
    public static SenderNoticeMessage From(SenderNoticeEvent notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return new(notice.SessionId.Length == 0 ? null : notice.SessionId, KindName(notice.Kind), notice.Remote, notice.DeviceId, notice.Detail);
    }

    public static string KindName(SenderNoticeKind kind) => kind switch
    {
        SenderNoticeKind.ProtectedContent => "protectedContent",
        SenderNoticeKind.PtpTiming => "ptpTiming",
        SenderNoticeKind.RemoteControlOnly => "remoteControlOnly",
        SenderNoticeKind.CastRefused => "castRefused",
        _ => "other",
    };
}
