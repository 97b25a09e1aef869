using System.Net;
using Microsoft.Extensions.Logging;

namespace Receiver.Core.Sessions;

/// <summary>What the control protocol of one connection logs, under the <see cref="AirPlayControlSession"/> category.</summary>
internal static partial class ControlSessionLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}")]
    public static partial void BadRequest(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Out of order {Method} {Path}: {Reason}")]
    public static partial void OutOfOrder(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Sender {Remote} paired")]
    public static partial void Paired(ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Pairing with {Remote} refused: {Reason}")]
    public static partial void PairingRefused(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Session {SessionId} started: {Name} ({Model}) from {Remote}")]
    public static partial void SessionStarted(ILogger logger, string sessionId, string name, string model, IPEndPoint remote);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "Session {ShortId} has the id {SessionId}")]
    public static partial void SessionId(ILogger logger, string shortId, string sessionId);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Session {SessionId} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string sessionId, SessionEndReason reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Session SETUP from {Remote} refused: {Reason}")]
    public static partial void Busy(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Sender {Remote}: {Kind}: {Detail}")]
    public static partial void Declined(ILogger logger, IPEndPoint remote, SenderNoticeKind kind, string detail);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "PIN shown on the receiver's screen for {Name} at {Remote}")]
    public static partial void PinShown(ILogger logger, string name, IPEndPoint remote);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Sender {User} at {Remote} paired with the PIN")]
    public static partial void PinPaired(ILogger logger, string user, IPEndPoint remote);
}
