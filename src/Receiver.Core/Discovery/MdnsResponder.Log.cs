using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Receiver.Core.Discovery;

/// <summary>The log messages of the <see cref="MdnsResponder"/>.</summary>
public sealed partial class MdnsResponder : IAsyncDisposable
{
    [LoggerMessage(EventId = 5106, Level = LogLevel.Debug, Message = "mDNS probing for {AirPlay} and {Raop}")]
    private static partial void LogProbing(ILogger logger, string airPlay, string raop);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Trace, Message = "mDNS probe sent on {Interface} for {AirPlay}")]
    private static partial void LogProbeSent(ILogger logger, string @interface, string airPlay);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Information, Message = "mDNS names won: {AirPlay} and {Raop}")]
    private static partial void LogWon(ILogger logger, string airPlay, string raop);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Warning,
        Message = "mDNS name conflict: {Name} is taken on {Interface}; probing for {NewAirPlay} on host {NewHost}")]
    private static partial void LogConflict(ILogger logger, string name, string @interface, string newAirPlay, string newHost);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information,
        Message = "mDNS simultaneous probe for {Name} on {Interface} won by the other host; probing again in 1 s")]
    private static partial void LogLostTieBreak(ILogger logger, string name, string @interface);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Warning,
        Message = "mDNS announced name {Name} claimed by another host on {Interface}; probing again")]
    private static partial void LogChallenged(ILogger logger, string name, string @interface);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "mDNS {Conflicts} conflicts in 10 s; waiting 5 s before probing again")]
    private static partial void LogRateLimited(ILogger logger, int conflicts);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "mDNS sent {Count} records on {Interface} (goodbye: {Goodbye})")]
    private static partial void LogAnnounced(ILogger logger, string @interface, int count, bool goodbye);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "mDNS send on {Interface} over {Family} failed: {Error}; the same failure again is logged at debug level")]
    private static partial void LogSendFailed(ILogger logger, string @interface, string family, SocketError error);

    [LoggerMessage(EventId = 5115, Level = LogLevel.Debug, Message = "mDNS send on {Interface} over {Family} failed again: {Error}")]
    private static partial void LogSendFailedAgain(ILogger logger, string @interface, string family, SocketError error);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug, Message = "mDNS ignored a malformed packet on {Interface}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string @interface, string reason);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Trace, Message = "mDNS answering on {Interface}: {Answers} answers, {Additionals} additional records")]
    private static partial void LogAnswering(ILogger logger, string @interface, int answers, int additionals);
}
