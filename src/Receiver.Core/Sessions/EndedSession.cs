namespace Receiver.Core.Sessions;

/// <summary>A session that has ended: who, when, and why (<see cref="SessionRegistry.RecentlyEnded"/>).</summary>
public sealed record EndedSession(string Id, SenderInfo Sender, string Protocol, DateTimeOffset StartedAt, DateTimeOffset EndedAt, SessionEndReason Reason);
