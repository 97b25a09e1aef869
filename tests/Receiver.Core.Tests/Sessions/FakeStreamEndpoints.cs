using System.Net;
using Receiver.Core.Audio;
using Receiver.Core.Sessions;
using Receiver.Core.Timing;

namespace Receiver.Core.Tests.Sessions;

/// <summary>Endpoints without sockets: records what the control session opened and whether it was closed.</summary>
internal sealed class FakeStreamEndpoints : IStreamEndpoints
{
    public List<FakeTimingEndpoint> Timings { get; } = [];

    public List<FakeAudioEndpoint> Audios { get; } = [];

    public ITimingEndpoint StartTiming(IPEndPoint sender, MirroringSession session)
    {
        var timing = new FakeTimingEndpoint(sender, session.Clock, 52000 + Timings.Count);
        Timings.Add(timing);
        return timing;
    }

    public IAudioEndpoint OpenAudio(IPAddress sender, AudioStreamParameters parameters, MirroringSession session)
    {
        var audio = new FakeAudioEndpoint(sender, parameters, session, 53000 + (2 * Audios.Count));
        Audios.Add(audio);
        return audio;
    }
}
