using System.Text;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Control;

/// <summary>An RTSP <c>GET_PARAMETER</c>: a <c>text/parameters</c> body naming the one parameter the receiver reports, <c>volume</c>.</summary>
public sealed record GetParameterRequest(string Name)
{
    /// <summary>The content type of parameter bodies.</summary>
    public const string ParametersType = "text/parameters";

    /// <summary>Reads the request; throws <see cref="ControlRequestException"/> (451) for another content type or parameter.</summary>
    public static GetParameterRequest Parse(string? contentType, ReadOnlySpan<byte> body)
    {
        var text = Encoding.ASCII.GetString(body).Trim();
        if (!string.Equals(contentType, ParametersType, StringComparison.OrdinalIgnoreCase) || !text.Equals("volume", StringComparison.Ordinal))
        {
            throw new ControlRequestException(RtspStatus.ParameterNotUnderstood, "GET_PARAMETER is answered for 'volume' in text/parameters only");
        }

        return new GetParameterRequest("volume");
    }
}
