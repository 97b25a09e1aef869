namespace Receiver.Core.Discovery;

/// <summary>The next step of a <see cref="MdnsProbeStateMachine"/>.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Due">For <see cref="MdnsProbeActionKind.Wait"/>: when to ask again.</param>
/// <param name="UnicastQuestion">For <see cref="MdnsProbeActionKind.Probe"/>: set the QU bit (the first probe of a series).</param>
/// <param name="FirstAnnouncement">For <see cref="MdnsProbeActionKind.Announce"/>: the first announcement of these names.</param>
public readonly record struct MdnsProbeAction(MdnsProbeActionKind Kind, DateTimeOffset Due = default, bool UnicastQuestion = false, bool FirstAnnouncement = false);
