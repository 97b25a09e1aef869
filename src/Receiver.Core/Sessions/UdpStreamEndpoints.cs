using System.Net;
using Microsoft.Extensions.Logging;
using Receiver.Core.Audio;
using Receiver.Core.Timing;

namespace Receiver.Core.Sessions;

/// <summary>
/// The production endpoints: an <see cref="NtpTimingClient"/> and an <see cref="AudioStreamEndpoint"/> on UDP sockets.
/// <paramref name="audio"/> carries the receiver's audio settings (the transcoder's ffmpeg limits and CPU watchdog).
/// </summary>
public sealed class UdpStreamEndpoints(TimeProvider time, ILoggerFactory loggerFactory, AudioStreamOptions? audio = null) : IStreamEndpoints
{
    /// <inheritdoc />
    public ITimingEndpoint StartTiming(IPEndPoint sender, MirroringSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        // Whatever the sender's epoch (timingProtocol "NTP" or none), its replies go to the session's clock as sent.
        var client = new NtpTimingClient(sender, session.Clock, time, loggerFactory.CreateLogger<NtpTimingClient>()) { SenderDatagrams = session.SenderDatagrams, Capture = session.Capture };
        client.Start();
        return new NtpTimingEndpoint(client);
    }

    /// <inheritdoc />
    public IAudioEndpoint OpenAudio(IPAddress sender, AudioStreamParameters parameters, MirroringSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var endpoint = AudioStreamEndpoint.Open(sender, parameters, session.Media, session.Clock, (audio ?? new AudioStreamOptions()) with { SenderDatagrams = session.SenderDatagrams, Capture = session.Capture }, loggerFactory.CreateLogger<AudioStreamEndpoint>());
        return new UdpAudioEndpoint(endpoint);
    }
}
