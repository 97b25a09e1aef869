using System.Net;
using Receiver.Core.Audio;

namespace Receiver.Core.Sessions;

/// <summary>
/// What a control session opens in the world: the timing client towards the sender and the UDP endpoint of an audio
/// stream. The control session decides when; an implementation decides how (sockets in production, fakes in tests).
/// </summary>
public interface IStreamEndpoints
{
    /// <summary>
    /// Starts timing exchanges with the sender's <paramref name="sender"/> port; replies go to the session's clock, and
    /// replies from any other address are dropped (counted in <see cref="MirroringSession.SenderDatagrams"/>).
    /// </summary>
    ITimingEndpoint StartTiming(IPEndPoint sender, MirroringSession session);

    /// <summary>Opens the data and control ports of an audio stream from <paramref name="sender"/>, publishing to <paramref name="session"/>.</summary>
    IAudioEndpoint OpenAudio(IPAddress sender, AudioStreamParameters parameters, MirroringSession session);
}
