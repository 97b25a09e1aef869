namespace Receiver.Core.Discovery;

/// <summary>What a received message meant to a <see cref="MdnsProbeStateMachine"/>.</summary>
/// <param name="Kind">The outcome.</param>
/// <param name="Name">The name concerned, for a conflict or a lost tie-break.</param>
public readonly record struct MdnsObservation(MdnsObservationKind Kind, DnsName? Name = null)
{
    public static MdnsObservation None => default;
}
