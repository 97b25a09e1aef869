using Receiver.Core.FairPlay;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Sessions;

/// <summary>
/// FairPlay on one control connection: the two <c>POST /fp-setup</c> messages, then the unwrapping of the session
/// SETUP's <c>ekey</c> with the stored message 3.
/// </summary>
internal sealed class ControlFairPlay
{
    private const string OctetStreamType = "application/octet-stream";
    private readonly FairPlaySetup _setup = new();

    /// <summary>Message 3 arrived: an <c>ekey</c> can be unwrapped.</summary>
    public bool IsComplete => _setup.HasMessage3;

    /// <summary>Answers one fp-setup message; throws <see cref="FairPlayException"/> for a body of another length.</summary>
    public RtspResponse HandleSetup(ReadOnlySpan<byte> body) => RtspResponse.WithBody(_setup.ProcessMessage(body), OctetStreamType);

    /// <summary>The 16-byte AES key wrapped in <paramref name="ekey"/>; throws <see cref="FairPlayException"/> when it does not unwrap.</summary>
    public byte[] DecryptKey(ReadOnlySpan<byte> ekey) => _setup.DecryptKey(ekey);
}
