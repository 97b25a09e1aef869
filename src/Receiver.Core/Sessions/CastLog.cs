using System.Net;
using Microsoft.Extensions.Logging;
using Receiver.Core.Casting;

namespace Receiver.Core.Sessions;

/// <summary>What video casting logs, under the <see cref="AirPlayControlSession"/> category.</summary>
internal static partial class CastLog
{
    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Session {SessionId}: {Remote} casts a video from {Host} ({Kind})")]
    public static partial void Started(ILogger logger, string sessionId, IPEndPoint remote, string host, CastMediaKind kind);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Cast from {Remote} refused: {Reason}")]
    public static partial void Refused(ILogger logger, IPEndPoint remote, string reason);
}
