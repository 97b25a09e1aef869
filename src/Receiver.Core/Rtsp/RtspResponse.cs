namespace Receiver.Core.Rtsp;

/// <summary>A response on the control channel. The writer adds <c>CSeq</c>, <c>Server</c>, <c>Date</c> and <c>Content-Length</c>.</summary>
public sealed class RtspResponse
{
    public RtspResponse(int statusCode)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }

    public RtspHeaders Headers { get; } = new();

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Close the connection once this response is written.</summary>
    public bool CloseConnection { get; init; }

    /// <summary>Write no response at all (the legacy <c>POST /stream</c> switches the socket to packets without answering).</summary>
    public bool Suppressed { get; init; }

    /// <summary>
    /// The connection switches protocol once this response is written (<c>101</c> to <c>POST /reverse</c>): from then
    /// on it carries the receiver's requests to the sender, and no more requests are read from it.
    /// </summary>
    public bool SwitchesProtocol { get; init; }

    public static RtspResponse Ok() => new(RtspStatus.Ok);

    public static RtspResponse Status(int statusCode, bool close = false) => new(statusCode) { CloseConnection = close };

    /// <summary>A refusal that says why in a plain-text body (a sender may log or show it).</summary>
    public static RtspResponse Explained(int statusCode, string reason, bool close = false)
    {
        var response = new RtspResponse(statusCode) { Body = System.Text.Encoding.UTF8.GetBytes(reason), CloseConnection = close };
        response.Headers.Add("Content-Type", "text/plain; charset=utf-8");
        return response;
    }

    public static RtspResponse WithBody(ReadOnlyMemory<byte> body, string contentType)
    {
        var response = new RtspResponse(RtspStatus.Ok) { Body = body };
        response.Headers.Add("Content-Type", contentType);
        return response;
    }
}
