using Microsoft.Extensions.Logging;

namespace Receiver.Core.Audio;

/// <summary>Log messages of an audio stream (logged under the <see cref="AudioStreamEndpoint"/> category).</summary>
internal static partial class AudioLog
{
    [LoggerMessage(EventId = 80, Level = LogLevel.Warning, Message = "Audio is received but not played: the transcoder did not start ({Message})")]
    public static partial void TranscoderUnavailable(ILogger logger, string message);

    [LoggerMessage(EventId = 81, Level = LogLevel.Warning, Message = "The audio transcoder stopped: {Message}")]
    public static partial void TranscoderGone(ILogger logger, string message);

    [LoggerMessage(EventId = 82, Level = LogLevel.Debug, Message = "Audio resend request not sent: {Message}")]
    public static partial void ResendFailed(ILogger logger, string message);
}
