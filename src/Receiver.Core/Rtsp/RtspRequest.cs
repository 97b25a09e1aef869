namespace Receiver.Core.Rtsp;

/// <summary>One request on the control channel: <c>SETUP rtsp://… RTSP/1.0</c>, <c>GET /info RTSP/1.0</c>, <c>POST /stream HTTP/1.1</c>…</summary>
public sealed class RtspRequest
{
    public RtspRequest(string method, string target, string protocol, RtspHeaders headers, ReadOnlyMemory<byte> body)
    {
        Method = method;
        Target = target;
        Protocol = protocol;
        Headers = headers;
        Body = body;
    }

    public string Method { get; }

    /// <summary>The request target as sent: a path (<c>/info</c>) or an absolute <c>rtsp://host/session</c> URI.</summary>
    public string Target { get; }

    /// <summary><c>RTSP/1.0</c>, <c>HTTP/1.1</c> or <c>HTTP/1.0</c>; echoed in the response.</summary>
    public string Protocol { get; }

    public RtspHeaders Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public string? CSeq => Headers["CSeq"];

    public string? ContentType => Headers["Content-Type"];

    /// <summary>The path of the target without query: <c>/info</c> for <c>/info?txtAirPlay</c>, <c>/123</c> for <c>rtsp://10.0.0.2/123</c>.</summary>
    public string Path
    {
        get
        {
            var target = Target.AsSpan();
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                var rest = target[(scheme + 3)..];
                var slash = rest.IndexOf('/');
                target = slash >= 0 ? rest[slash..] : "/";
            }

            var query = target.IndexOf('?');
            if (query >= 0)
            {
                target = target[..query];
            }

            return target.Length == Target.Length ? Target : target.ToString();
        }
    }

    /// <summary>The query part after '?', or an empty string.</summary>
    public string Query
    {
        get
        {
            var query = Target.IndexOf('?', StringComparison.Ordinal);
            return query >= 0 ? Target[(query + 1)..] : string.Empty;
        }
    }

    public bool IsHttp => Protocol.StartsWith("HTTP/", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Target} {Protocol}";
}
