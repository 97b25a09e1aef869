using Microsoft.Extensions.Logging;

namespace Receiver.Core.Sessions;

/// <summary>
/// Ends a session whose sender has been silent for <see cref="Timeout"/>: no control request, mirror packet, audio
/// datagram or timing reply (<see cref="MirroringSession.Liveness"/>). The session ends with
/// <see cref="SessionEndReason.Timeout"/>, so its connections close and its sockets, ports and transcoders are released
/// like on any other end. A sender frozen with its TCP connections left open is caught here; timing replies are not
/// needed (macOS 15.2 sends none). Checks on a timer of the registry's <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class SenderWatchdog : IDisposable
{
    private readonly SessionRegistry _registry;
    private readonly ILogger _logger;
    private readonly ITimer _timer;

    public SenderWatchdog(SessionRegistry registry, TimeSpan timeout, ILogger<SenderWatchdog> logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _registry = registry;
        _logger = logger;
        Timeout = timeout;
        CheckInterval = CheckIntervalFor(timeout);
        _timer = registry.Time.CreateTimer(static s => ((SenderWatchdog)s!).Check(), this, CheckInterval, CheckInterval);
    }

    /// <summary>How long a sender may stay silent before its session ends.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How often sessions are looked at: a quarter of the timeout, at most once a second.</summary>
    public TimeSpan CheckInterval { get; }

    /// <summary>Ends every live session whose sender is silent for <see cref="Timeout"/>; returns how many it ended.</summary>
    public int Check()
    {
        var ended = 0;
        foreach (var session in _registry.Sessions)
        {
            var silence = session.Liveness.Silence;
            if (silence >= Timeout && _registry.End(session, SessionEndReason.Timeout))
            {
                LogSilent(_logger, SessionLogId.Of(session.Id), silence.TotalSeconds, Timeout.TotalSeconds);
                ended++;
            }
        }

        return ended;
    }

    public void Dispose() => _timer.Dispose();

    private static TimeSpan CheckIntervalFor(TimeSpan timeout)
    {
        var quarter = timeout / 4;
        return quarter < TimeSpan.FromSeconds(1) ? quarter : TimeSpan.FromSeconds(1);
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Session {SessionId} ended: timeout, nothing from the sender for {Silence:0.0} s (limit {Timeout:0.#} s)")]
    private static partial void LogSilent(ILogger logger, string sessionId, double silence, double timeout);
}
