using Receiver.Core.Audio;

namespace Receiver.Core.Sessions;

/// <summary>An <see cref="AudioStreamEndpoint"/> as a session's audio endpoint.</summary>
internal sealed class UdpAudioEndpoint(AudioStreamEndpoint endpoint) : IAudioEndpoint
{
    public int DataPort => endpoint.DataPort;

    public int ControlPort => endpoint.ControlPort;

    public void Dispose() => endpoint.Dispose();
}
