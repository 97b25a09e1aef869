namespace Receiver.Core.Rtsp;

/// <summary>Status codes used on the control channel, with their reason phrases.</summary>
public static class RtspStatus
{
    public const int SwitchingProtocols = 101;
    public const int Ok = 200;
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int Forbidden = 403;
    public const int NotFound = 404;
    public const int MethodNotAllowed = 405;
    public const int NotAcceptable = 406;
    public const int Conflict = 409;
    public const int PayloadTooLarge = 413;
    public const int UnsupportedMediaType = 415;

    /// <summary>What Apple senders get for <c>POST /fp-setup2</c> (FairPlay v2, protected content) from receivers without it.</summary>
    public const int MisdirectedRequest = 421;
    public const int RequestHeaderFieldsTooLarge = 431;
    public const int ParameterNotUnderstood = 451;

    /// <summary>The receiver is busy: as many sessions as it takes are running (what AirPlay audio receivers answer when already playing).</summary>
    public const int NotEnoughBandwidth = 453;
    public const int SessionNotFound = 454;
    public const int MethodNotValidInThisState = 455;
    public const int ClientAuthenticationFailure = 470;
    public const int InternalServerError = 500;
    public const int NotImplemented = 501;
    public const int ServiceUnavailable = 503;
    public const int VersionNotSupported = 505;

    public static string ReasonPhrase(int status) => status switch
    {
        SwitchingProtocols => "Switching Protocols",
        Ok => "OK",
        BadRequest => "Bad Request",
        Unauthorized => "Unauthorized",
        Forbidden => "Forbidden",
        NotFound => "Not Found",
        MethodNotAllowed => "Method Not Allowed",
        NotAcceptable => "Not Acceptable",
        Conflict => "Conflict",
        PayloadTooLarge => "Request Entity Too Large",
        UnsupportedMediaType => "Unsupported Media Type",
        MisdirectedRequest => "Misdirected Request",
        RequestHeaderFieldsTooLarge => "Request Header Fields Too Large",
        ParameterNotUnderstood => "Parameter Not Understood",
        NotEnoughBandwidth => "Not Enough Bandwidth",
        SessionNotFound => "Session Not Found",
        MethodNotValidInThisState => "Method Not Valid in This State",
        ClientAuthenticationFailure => "Connection Authorization Required",
        InternalServerError => "Internal Server Error",
        NotImplemented => "Not Implemented",
        ServiceUnavailable => "Service Unavailable",
        VersionNotSupported => "RTSP Version Not Supported",
        _ => "Unknown",
    };
}
