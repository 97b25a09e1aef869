namespace Receiver.Core.Rtsp;

/// <summary>A malformed or oversized control-channel request. The connection answers with <see cref="StatusCode"/> and closes.</summary>
public sealed class RtspProtocolException : Exception
{
    public RtspProtocolException(RtspErrorReason reason, string message)
        : this(reason, message, cseq: null)
    {
    }

    public RtspProtocolException(RtspErrorReason reason, string message, string? cseq)
        : base(message)
    {
        Reason = reason;
        CSeq = cseq;
    }

    public RtspErrorReason Reason { get; }

    /// <summary>The refused request's <c>CSeq</c> when its head carries a well-formed one; echoed in the answer.</summary>
    public string? CSeq { get; }

    /// <summary>The status code the receiver answers with before closing the connection.</summary>
    public int StatusCode => Reason switch
    {
        RtspErrorReason.HeaderTooLarge => RtspStatus.RequestHeaderFieldsTooLarge,
        RtspErrorReason.TooManyHeaders => RtspStatus.RequestHeaderFieldsTooLarge,
        RtspErrorReason.BodyTooLarge => RtspStatus.PayloadTooLarge,
        RtspErrorReason.UnsupportedProtocol => RtspStatus.VersionNotSupported,
        _ => RtspStatus.BadRequest,
    };
}
