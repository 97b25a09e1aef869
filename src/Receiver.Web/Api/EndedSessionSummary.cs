using Receiver.Core.Sessions;
using Receiver.Web.Hubs;

namespace Receiver.Web.Api;

/// <summary>A session that ended, as <c>GET /api/sessions/ended</c> lists it.</summary>
/// <param name="Id">The session's id.</param>
/// <param name="SenderName">The sender's device name.</param>
/// <param name="SenderModel">The sender's model identifier.</param>
/// <param name="Protocol"><c>airplay</c> or <c>legacy</c>.</param>
/// <param name="StartedAt">When the session started.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Reason">teardown, disconnect, timeout (the sender sent nothing for <c>Receiver:Limits:SenderTimeoutSeconds</c>), kicked, error or shutdown.</param>
public sealed record EndedSessionSummary(string Id, string? SenderName, string? SenderModel, string Protocol, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string Reason)
{
    public static EndedSessionSummary From(EndedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new(session.Id, session.Sender.Name, session.Sender.Model, session.Protocol, session.StartedAt, session.EndedAt, SessionEventForwarder.ReasonName(session.Reason));
    }
}
