namespace Receiver.Core.Discovery;

/// <summary>The responder won its names and sent the first announcement of <see cref="Zone"/>.</summary>
public sealed class MdnsAnnouncedEventArgs(AirPlayServiceZone zone) : EventArgs
{
    public AirPlayServiceZone Zone { get; } = zone ?? throw new ArgumentNullException(nameof(zone));
}
