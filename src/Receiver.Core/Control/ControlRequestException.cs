namespace Receiver.Core.Control;

/// <summary>
/// A control request whose content the receiver cannot read, with the RTSP status that answers it (for example
/// <c>451 Parameter Not Understood</c> for a <c>GET_PARAMETER</c> other than <c>volume</c>). The connection stays open.
/// </summary>
public sealed class ControlRequestException : Exception
{
    public ControlRequestException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
