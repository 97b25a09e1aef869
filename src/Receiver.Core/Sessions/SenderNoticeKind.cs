namespace Receiver.Core.Sessions;

/// <summary>A sender request the receiver does not serve as asked, answered the way Apple senders expect.</summary>
public enum SenderNoticeKind
{
    /// <summary><c>POST /fp-setup2</c>: FairPlay v2 for protected content (DRM video). Refused with 421.</summary>
    ProtectedContent,

    /// <summary>A session SETUP with <c>timingProtocol</c> PTP: accepted without a clock exchange (arrival times).</summary>
    PtpTiming,

    /// <summary>A SETUP with <c>isRemoteControlOnly</c>: accepted, with no mirroring session and nothing to show.</summary>
    RemoteControlOnly,

    /// <summary>A <c>POST /play</c> whose sender asked for a refusal when no viewer page is open (<c>requiresViewer</c>), with none open. Refused with 503.</summary>
    CastRefused,
}
