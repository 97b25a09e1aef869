namespace Receiver.Core.Discovery;

/// <summary>The next step of a <see cref="MdnsProbeStateMachine"/>.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Due">For <see cref="MdnsProbeActionKind.Wait"/>: when to ask again.</param>
/// <param name="FirstAnnouncement">For <see cref="MdnsProbeActionKind.Announce"/>: the first announcement of these names.</param>
public readonly record struct MdnsProbeAction(MdnsProbeActionKind Kind, DateTimeOffset Due = default, bool FirstAnnouncement = false);
