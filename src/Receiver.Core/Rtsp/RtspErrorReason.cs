namespace Receiver.Core.Rtsp;

/// <summary>Why a control-channel request could not be parsed.</summary>
public enum RtspErrorReason
{
    /// <summary>The request line and headers exceed the configured head limit.</summary>
    HeaderTooLarge,

    /// <summary>The announced body exceeds the configured body limit.</summary>
    BodyTooLarge,

    /// <summary>The request line is not <c>METHOD SP target SP protocol</c>.</summary>
    InvalidRequestLine,

    /// <summary>The protocol token is neither <c>RTSP/1.0</c> nor <c>HTTP/1.x</c>.</summary>
    UnsupportedProtocol,

    /// <summary>A header line has no colon, an empty or invalid name, or control characters.</summary>
    InvalidHeader,

    /// <summary>More header fields than allowed.</summary>
    TooManyHeaders,

    /// <summary><c>Content-Length</c> is negative, not a number, or repeated with different values.</summary>
    InvalidContentLength,
}
