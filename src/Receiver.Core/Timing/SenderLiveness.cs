namespace Receiver.Core.Timing;

/// <summary>
/// When a session last heard from its sender: any control request, mirror packet (heartbeats included), audio or
/// audio control datagram, or timing reply. A sender that stops answering timing requests but keeps sending
/// <c>/feedback</c> and video stays heard. Reads the injected <see cref="TimeProvider"/>'s timestamp, one atomic write
/// per note, so the media paths can note every packet.
/// </summary>
public sealed class SenderLiveness
{
    private readonly TimeProvider _time;
    private long _lastHeard;

    public SenderLiveness(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _lastHeard = time.GetTimestamp();
    }

    /// <summary>Notes that something arrived from the sender now.</summary>
    public void Heard() => Volatile.Write(ref _lastHeard, _time.GetTimestamp());

    /// <summary>How long since the sender was last heard.</summary>
    public TimeSpan Silence => _time.GetElapsedTime(Volatile.Read(ref _lastHeard));

    /// <summary>True when nothing arrived from the sender for <paramref name="timeout"/> or longer.</summary>
    public bool IsSilentFor(TimeSpan timeout) => Silence >= timeout;
}
