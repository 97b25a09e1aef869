namespace Receiver.Core.Sessions;

/// <summary>An open audio stream endpoint; disposing it closes both ports and ends the stream's pipeline.</summary>
public interface IAudioEndpoint : IDisposable
{
    /// <summary>The receiver's RTP data port, returned as <c>dataPort</c>.</summary>
    int DataPort { get; }

    /// <summary>The receiver's control port (sync packets, resend requests), returned as <c>controlPort</c>.</summary>
    int ControlPort { get; }
}
